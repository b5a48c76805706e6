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

from crawler.refusals import Refusal

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


# --- refusals (crawler/refusals.py, issue 13): failure class -> verdict ------------------
# (in-site, external). A loop or an endless chain is confirmed broken in-site: every
# browser gives up on it too. Elsewhere it may be a bot wall (a cookie or script check),
# so it is suspect, as an external 403 is. A decompression bomb is suspect: no visitor
# can load it, but a person decides. A host that asked for a pause longer than
# crawler.retry_after_max_seconds is suspect ('429' / '5xx'), never broken.
REFUSAL_VERDICTS: dict[str, tuple[str, str]] = {
    "redirect-loop": ("broken", "suspect"),
    "too-many-redirects": ("broken", "suspect"),
    "refresh-loop": ("broken", "suspect"),
    "bomb": ("suspect", "suspect"),
    "429": ("suspect", "suspect"),
    "5xx": ("suspect", "suspect"),
    "robots": ("skipped", "skipped"),
    "trap": ("skipped", "skipped"),
    "ignored": ("skipped", "skipped"),
}


def from_refusal(failure_class: str, *, in_scope: bool) -> Verdict:
    inside, outside = REFUSAL_VERDICTS.get(failure_class, ("skipped", "skipped"))
    return Verdict(inside if in_scope else outside, failure_class)
# --- end of refusals ---------------------------------------------------------------------


def from_failure(failure: Failure, *, in_scope: bool = True) -> Verdict:
    value = failure.value
    if isinstance(value, Refusal):
        return from_refusal(value.failure, in_scope=in_scope)
    if isinstance(value, sx.IgnoreRequest):
        return from_refusal("ignored", in_scope=in_scope)
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
