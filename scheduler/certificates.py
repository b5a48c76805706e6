"""The TLS certificate of each HTTPS homepage, read on every probe round (``ssl`` + x509).

The handshake does not verify the chain (an expired or mismatched certificate must still be
read); the certificate is parsed with ``cryptography`` (a Scrapy dependency) and its names
are matched against the host here. ``checks.security_transport.tls_certificate`` judges.
"""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.x509.oid import NameOID

from core.clock import wall_time
from core.settings import Settings


@dataclass(frozen=True)
class CertificateOutcome:
    site: str
    url: str
    at: datetime
    host: str
    not_after: datetime | None
    issuer: str = ""
    subject: str = ""
    names: list[str] = field(default_factory=list)
    host_ok: bool | None = None
    error: str | None = None


def _name(value: x509.Name) -> str:
    common = value.get_attributes_for_oid(NameOID.COMMON_NAME)
    org = value.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    parts = [f"CN={common[0].value!s}"] if common else []
    parts += [f"O={org[0].value!s}"] if org else []
    return ", ".join(str(p) for p in parts) or value.rfc4514_string()


def names_of(cert: x509.Certificate) -> list[str]:
    """DNS names and IP addresses of the subjectAltName (else the common name)."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(n) for n in san.get_values_for_type(x509.DNSName)]
        names += [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
        if names:
            return names
    except x509.ExtensionNotFound:
        pass
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]


def host_matches(host: str, names: list[str]) -> bool:
    """RFC 6125 matching: exact, or one leftmost wildcard label (*.example.gov.cn)."""
    host = host.lower().rstrip(".")
    try:
        ip = ipaddress.ip_address(host)
        return any(_same_ip(ip, n) for n in names)
    except ValueError:
        pass
    for name in (n.lower().rstrip(".") for n in names):
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _same_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, name: str) -> bool:
    try:
        return ipaddress.ip_address(name) == ip
    except ValueError:
        return False


def _context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


async def _read(site: str, url: str, at: datetime, limit_s: float,
                zone: str) -> CertificateOutcome:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        _reader, writer = await asyncio.wait_for(asyncio.open_connection(
            host, parts.port or 443, ssl=_context(), server_hostname=host), timeout=limit_s)
        try:
            der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
        finally:
            writer.close()
        cert = x509.load_der_x509_certificate(der)
    except Exception as error:  # any failure is recorded, never a crash of the probe round
        return CertificateOutcome(site, url, at, host, None, error=str(error)[:200] or "error")
    names = names_of(cert)
    expires = wall_time(cert.not_valid_after_utc, zone)  # the store's wall time
    return CertificateOutcome(site, url, at, host, expires, _name(cert.issuer),
                              _name(cert.subject), names, host_matches(host, names))


async def _read_all(targets: list[tuple[str, str]], at: datetime, limit_s: float,
                    zone: str) -> list[CertificateOutcome]:
    return list(await asyncio.gather(*(_read(s, u, at, limit_s, zone) for s, u in targets)))


def read_certificates(settings: Settings, now: datetime) -> list[CertificateOutcome]:
    """The certificate of every HTTPS homepage, at once; within about the probe limit."""
    targets = [(s.name, s.url) for s in settings.sites if s.url.startswith("https://")]
    if not targets:
        return []
    at = wall_time(now, settings.schedule.timezone)
    return asyncio.run(_read_all(targets, at, settings.schedule.probe_timeout_seconds,
                                 settings.schedule.timezone))
