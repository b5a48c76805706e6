"""Mail over STARTTLS and implicit TLS to a real aiosmtpd server with a test certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from core.errors import MailError
from core.settings import MailConfig
from reports.mail import build_message, send_smtp
from tests.reports.test_digest import Inbox, _free_port

NOW = dt.datetime(2026, 11, 27, 8)


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ssl.SSLContext]:
    """A self-signed cert for 127.0.0.1, trusted by the client through SSL_CERT_FILE."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2020, 1, 1)).not_valid_after(dt.datetime(2099, 1, 1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_path, key_path)
    yield server


def _message() -> str:
    return build_message("xunwang@example.test", ["czj@example.test"], "整改提醒", "正文",
                         "<p>正文</p>", NOW)


def _config(port: int, security: str) -> MailConfig:
    return MailConfig(smtp_host="127.0.0.1", smtp_port=port, security=security,  # type: ignore[arg-type]
                      sender="xunwang@example.test", timeout_seconds=5)


def _serve(inbox: Inbox, port: int, **kwargs: Any) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller


def test_mail_starttls_delivers(certificate: ssl.SSLContext) -> None:
    inbox, port = Inbox(), _free_port()
    controller = _serve(inbox, port, tls_context=certificate, require_starttls=True)
    try:
        send_smtp(_message(), _config(port, "starttls"))
        with pytest.raises(MailError):  # the server insists on STARTTLS
            send_smtp(_message(), _config(port, "none"))
    finally:
        controller.stop()
    assert [rcpts for _, rcpts, _ in inbox.messages] == [["czj@example.test"]]


def test_mail_implicit_tls_delivers(certificate: ssl.SSLContext) -> None:
    inbox, port = Inbox(), _free_port()
    controller = _serve(inbox, port, ssl_context=certificate)
    try:
        send_smtp(_message(), _config(port, "ssl"))
    finally:
        controller.stop()
    assert str(inbox.messages[0][2]["Subject"]) == "整改提醒"
