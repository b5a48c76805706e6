"""What happened when a URL was fetched, as a failure class: a fact, not a verdict.

The class is the ``failure`` column of a target (None when the fetch succeeded).
``checks.links.verdict`` turns (failure, in scope) into ok / broken / suspect / skipped.
"""

from __future__ import annotations

from scrapy import exceptions as sx
from twisted.internet import error as tx_error
from twisted.python.failure import Failure

from crawler.refusals import Refusal

_STATUS_CLASSES = {404: "404", 410: "410", 400: "400", 403: "403", 429: "429"}


def status_failure(status: int, *, soft404: bool = False) -> str | None:
    """The failure class of an HTTP answer: its status class, soft404, or None."""
    if status in _STATUS_CLASSES:
        return _STATUS_CLASSES[status]
    if status >= 500:
        return "5xx"
    if status >= 400:
        return str(status)
    return "soft404" if soft404 else None


def _is_tls(value: BaseException) -> bool:
    name = type(value).__module__ + "." + type(value).__name__
    return "SSL" in name or "ssl" in name or "TLS" in name


def error_failure(failure: Failure) -> str:
    """The failure class of a fetch that got no usable answer."""
    value = failure.value
    if isinstance(value, Refusal):
        return value.failure
    if isinstance(value, sx.IgnoreRequest):
        return "ignored"
    if isinstance(value, sx.CannotResolveHostError | tx_error.DNSLookupError):
        return "dns"
    if isinstance(value, sx.DownloadConnectionRefusedError | tx_error.ConnectionRefusedError):
        return "refused"
    if isinstance(value, sx.DownloadTimeoutError | tx_error.TimeoutError | tx_error.TCPTimedOutError):
        return "timeout"
    if isinstance(value, sx.DownloadCancelledError):
        return "too-large"
    if value is not None and _is_tls(value):
        return "tls"
    return "error"
