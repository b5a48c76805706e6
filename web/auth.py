"""Passwords (salted scrypt) and the signed session cookie with its CSRF token.

The cookie holds ``base64(json)`` plus an HMAC-SHA256 over it keyed by
``settings.web.secret_key``; nothing in it is secret, only unforgeable. Each session
(also the anonymous one that shows the login form) carries a random nonce; the CSRF
token of every form is an HMAC of that nonce, so it changes at each login.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

# scrypt cost: ~16 MiB and ~50 ms per hash, cheap enough for a login, dear for a guesser.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024
SESSION_MAX_AGE_S = 12 * 3600


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (hex), with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored``; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
        return hmac.compare_digest(actual, bytes.fromhex(digest))
    except ValueError:
        return False


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_SCRYPT_MAXMEM, dklen=32
    )


@dataclass(frozen=True)
class SessionData:
    """What the cookie says: who (or nobody yet), since when, and the CSRF nonce."""

    nonce: str
    issued: int
    username: str | None = None

    @staticmethod
    def fresh(now: int, username: str | None = None) -> SessionData:
        return SessionData(nonce=secrets.token_urlsafe(18), issued=now, username=username)


class CookieSigner:
    """Signs and reads session cookies; a wrong signature or an old cookie reads as None."""

    def __init__(self, secret: bytes, max_age_s: int = SESSION_MAX_AGE_S) -> None:
        self._secret = secret
        self.max_age_s = max_age_s

    def dump(self, data: SessionData) -> str:
        payload = {"n": data.nonce, "t": data.issued, "u": data.username}
        body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
        return f"{body}.{self._mac(body)}"

    def load(self, cookie: str | None, now: int) -> SessionData | None:
        if not cookie or "." not in cookie:
            return None
        body, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            payload: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            data = SessionData(nonce=str(payload["n"]), issued=int(payload["t"]), username=payload["u"])
        except (ValueError, KeyError, TypeError):
            return None
        if not 0 <= now - data.issued <= self.max_age_s:
            return None
        return data

    def csrf_token(self, data: SessionData) -> str:
        return self._mac("csrf:" + data.nonce)

    def check_csrf(self, data: SessionData | None, token: str | None) -> bool:
        if data is None or not token:
            return False
        return hmac.compare_digest(token, self.csrf_token(data))

    def _mac(self, text: str) -> str:
        return hmac.new(self._secret, text.encode(), hashlib.sha256).hexdigest()
