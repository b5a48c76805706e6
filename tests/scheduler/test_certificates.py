"""Certificates read on probes from a local TLS server with certificates made in the test."""

from __future__ import annotations

import ipaddress
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from checks.model import SiteSnapshot
from checks.runner import run_checks
from core.settings import Settings, SiteConfig
from scheduler.certificates import host_matches, read_certificates
from store import security
from store.session import make_engine, make_sessionmaker

TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 10, 0)


def _cert(tmp: Path, days_left: int, ip: str | None = "127.0.0.1",
          dns: str | None = None) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, dns or ip or "x"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "测试 CA")])
    end = datetime(2026, 12, 3, 12, tzinfo=UTC) + timedelta(days=days_left)
    alt: list[x509.GeneralName] = []
    if ip:
        alt.append(x509.IPAddress(ipaddress.ip_address(ip)))
    if dns:
        alt.append(x509.DNSName(dns))
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(end - timedelta(days=400)).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp / f"c{days_left}{dns}.pem", tmp / f"k{days_left}{dns}.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class _Ok(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[Any]:
    servers: list[HTTPServer] = []

    def serve(days_left: int, dns: str | None = None) -> str:
        cert, key = _cert(tmp_path, days_left, None if dns else "127.0.0.1", dns)
        server = HTTPServer(("127.0.0.1", 0), _Ok)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"https://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def test_host_matching_follows_wildcard_rules() -> None:
    assert host_matches("www.example.gov.cn", ["*.example.gov.cn"])
    assert not host_matches("a.b.example.gov.cn", ["*.example.gov.cn"])
    assert host_matches("127.0.0.1", ["127.0.0.1"]) and not host_matches("127.0.0.1", ["x.cn"])


def test_expired_expiring_valid_and_mismatched_certificates(tls_server: Any, sqlite_url: str) -> None:
    urls = {"valid": tls_server(200), "expiring": tls_server(10), "expired": tls_server(-2),
            "mismatch": tls_server(200, dns="other.example.gov.cn")}
    settings = Settings(sites=tuple(SiteConfig(name=n, url=u) for n, u in urls.items()))
    outcomes = {o.site: o for o in read_certificates(settings, NOW)}
    assert outcomes["valid"].host_ok is True and "测试 CA" in outcomes["valid"].issuer
    assert outcomes["mismatch"].host_ok is False
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory.begin() as session:
        security.add_certificates(session, outcomes.values())
    found: dict[str, list[tuple[str, str]]] = {}
    with factory() as session:
        for name, url in urls.items():
            cert = security.latest_certificate(session, name, NOW - timedelta(days=7),
                                               NOW + timedelta(days=1))
            snap = SiteSnapshot(name=name, url=url, homepage_fetched=True, certificate=cert)
            found[name] = [(f.evidence["problem"], f.severity)
                           for f in run_checks(snap, settings, TODAY) if f.rule == "tls-certificate"]
    assert found == {"valid": [], "expiring": [("expiring", "warn")],
                     "expired": [("expired", "deduct")], "mismatch": [("host-mismatch", "deduct")]}
