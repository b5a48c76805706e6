"""Classify a fetch outcome into a verdict (ok | broken | suspect) and a failure class.

Confirmed failures (``broken``) are what RULES.md counts as link-broken: 404, 410, soft 404,
DNS failure, connection refused, and 403 inside the site. Everything uncertain — timeouts,
5xx, 429, TLS errors, a 403 from another site (bot blocking) — is ``suspect``.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapy import exceptions as sx
from twisted.internet import error as tx_error
from twisted.python.failure import Failure

BROKEN_STATUSES = {404: "404", 410: "410", 400: "400"}


@dataclass(frozen=True)
class Verdict:
    verdict: str
    failure: str | None


OK = Verdict("ok", None)


def from_status(status: int, *, in_scope: bool, soft404: bool = False) -> Verdict:
    if status in BROKEN_STATUSES:
        return Verdict("broken", BROKEN_STATUSES[status])
    if status == 403:
        return Verdict("broken" if in_scope else "suspect", "403")
    if status == 429:
        return Verdict("suspect", "429")
    if status >= 500:
        return Verdict("suspect", "5xx")
    if status >= 400:
        return Verdict("suspect", str(status))
    if soft404:
        return Verdict("broken", "soft404")
    return OK


def _is_tls(value: BaseException) -> bool:
    name = type(value).__module__ + "." + type(value).__name__
    return "SSL" in name or "ssl" in name or "TLS" in name


def from_failure(failure: Failure) -> Verdict:
    value = failure.value
    if isinstance(value, sx.CannotResolveHostError | tx_error.DNSLookupError):
        return Verdict("broken", "dns")
    if isinstance(value, sx.DownloadConnectionRefusedError | tx_error.ConnectionRefusedError):
        return Verdict("broken", "refused")
    if isinstance(value, sx.DownloadTimeoutError | tx_error.TimeoutError | tx_error.TCPTimedOutError):
        return Verdict("suspect", "timeout")
    if isinstance(value, sx.DownloadCancelledError):
        return Verdict("ok", "too-large")
    if value is not None and _is_tls(value):
        return Verdict("suspect", "tls")
    return Verdict("suspect", "error")
