"""Plain data the rules read and write: rules, findings, and snapshots of what was stored.

Snapshots are built by ``store.snapshot`` from one patrol run; every check is a pure
function ``check(snapshot, settings, as_of) -> Iterable[Finding]`` over them (``Check``).
A finding masks personal numbers in every field it holds, whichever rule made it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any

from checks.identifiers import mask_text
from checks.lexicon import Lexicon
from core.settings import Settings


class Severity(StrEnum):
    VETO = "veto"
    DEDUCT = "deduct"
    WARN = "warn"


SEVERITY_LABELS: dict[str, str] = {Severity.VETO: "单项否决", Severity.DEDUCT: "扣分",
                                   Severity.WARN: "提示"}
SEVERITY_RANK: dict[str, int] = {Severity.VETO: 0, Severity.DEDUCT: 1, Severity.WARN: 2}


class Status(StrEnum):
    STABLE = "stable"
    PREVIEW = "preview"
    REMOVED = "removed"


class Scope(StrEnum):
    """What a finding is about, which says when a patrol has looked at it again.

    site / account: the whole site (its homepage fetched) or account (its mirror read);
    link: a target URL, re-checked when any page citing it (``evidence["sources"]``) was;
    column, document, message, post: the page, attachment, letter or post at ``url``.
    """

    SITE = "site"
    ACCOUNT = "account"
    LINK = "link"
    COLUMN = "column"
    DOCUMENT = "document"
    MESSAGE = "message"


@dataclass(frozen=True)
class Rule:
    """A rule's metadata, declared once beside its check.

    ``doc`` is the user-facing explanation in fixed sections (the check's docstring);
    ``evidence`` is the TypedDict its findings' evidence follows.
    """

    id: str
    severity: Severity
    indicator: str
    title: str
    doc: str
    scope: Scope
    evidence: type
    status: Status = Status.STABLE


@dataclass(frozen=True)
class Finding:
    """One problem at one place, in the shape of the findings JSON of RULES.md."""

    rule: str
    severity: Severity
    url: str
    message: str
    site: str | None = None
    account: str | None = None
    target: str | None = None
    column: str | None = None
    text: str | None = None
    suggestion: str | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Masking is a property of the finding, not of the rule that made it: a number
        # copied from link text, a URL or a column name is hidden like a privacy hit.
        for name in ("url", "message", "target", "column", "text", "suggestion"):
            value = getattr(self, name)
            if value:
                object.__setattr__(self, name, masked(value))
        object.__setattr__(self, "evidence", _masked_tree(self.evidence))

    @classmethod
    def masked_already(
        cls, rule: str, severity: Severity, url: str, message: str, text: str | None,
        suggestion: str | None, evidence: dict[str, Any],
    ) -> Finding:
        """A finding whose caller has masked every field exactly as ``__post_init__`` would
        (each string through ``masked``, the evidence a fresh tree of plain dicts, lists
        and masked strings): the wording rules make tens of thousands of findings a second
        and would otherwise mask each twice."""
        finding = object.__new__(cls)
        object.__setattr__(finding, "__dict__", {
            "rule": rule, "severity": severity, "url": url, "message": message, "site": None,
            "account": None, "target": None, "column": None, "text": text,
            "suggestion": suggestion, "evidence": evidence})
        return finding

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": str(self.severity), **place_json(self),
                "evidence": dict(self.evidence)}


def place_json(found: Any) -> dict[str, Any]:
    """The findings-JSON fields that say where and what (shared by findings and items)."""
    out: dict[str, Any] = {}
    if found.account is not None:
        out["account"] = found.account
    else:
        out["site"] = found.site
    out["url"] = found.url
    for key in ("target", "column", "text", "suggestion"):
        value = getattr(found, key)
        if value is not None:
            out[key] = value
    out["message"] = found.message
    return out


@lru_cache(maxsize=8192)
def masked(text: str) -> str:
    """``text`` with every personal number masked (any birth date counts: mask more, not less).

    Cached: a patrol's findings repeat the same URLs, terms, messages and labels."""
    return mask_text(text, date.max)


def _masked_tree(value: Any) -> Any:
    kind = type(value)  # exact types first: evidence is plain dicts, lists and strings
    if kind is str:
        return masked(value)
    if kind is dict:
        return {key: _masked_tree(item) for key, item in value.items()}
    if value is None or kind is int or kind is bool:
        return value
    if isinstance(value, str):
        return masked(value)
    if isinstance(value, Mapping):
        return {key: _masked_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked_tree(item) for item in value]
    return value


# --- snapshots ---------------------------------------------------------------------

Table = tuple[tuple[str, ...], ...]
"""A table as rows of cell texts; a merged cell's text fills every position it covers."""


@dataclass(frozen=True)
class Entry:
    """A dated item in a list: a column entry, a homepage item."""

    title: str
    url: str
    published: date | None


@dataclass(frozen=True)
class Column:
    """A column as the crawler saw it; its type is judged by ``checks.freshness``."""

    url: str
    name: str
    blank: bool
    entries: tuple[Entry, ...] = ()
    top_level: bool = True
    placeholder: str | None = None
    role: str = ""  # "" | repost: a list of a level above (``[[sites]] repost_from``)

    @property
    def newest(self) -> date | None:
        dates = [e.published for e in self.entries if e.published]
        return max(dates) if dates else None


@dataclass(frozen=True)
class Document:
    """Text to scan for wording and privacy: a page, an attachment or a post."""

    url: str
    kind: str  # page | attachment | post
    title: str
    text: str
    published: date | None = None
    linked_from: tuple[str, ...] = ()
    # What the wrong-character detector found in this very text in an earlier run (the page
    # is unchanged since): reported again instead of checking the text again. None: the text
    # is new or changed, or no earlier run of the same threshold checked it.
    typos_known: tuple[Finding, ...] | None = field(default=None, compare=False, repr=False)
    # tables of the page or attachment as grids (merged cells repeated), kept for pages
    # that look like an annual report (crawler.extract.tables)
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class LinkSource:
    page: str
    tag: str
    anchor: str = ""


@dataclass(frozen=True)
class LinkTarget:
    """One checked URL, what happened when it was fetched, and every page that refers to it.

    ``checks.links.verdict`` judges it from ``failure`` and ``in_scope``.
    """

    url: str
    failure: str | None  # None (fetched fine) | 404 | 410 | soft404 | dns | refused | timeout | ...
    status: int | None
    in_scope: bool
    sources: tuple[LinkSource, ...] = ()
    attempts: int = 1
    redirects: tuple[str, ...] = ()
    # an outbound page's title / meta / text start (checks.security), and what the link
    # showed when it was last fine ("" when unknown)
    content: Mapping[str, Any] = field(default_factory=dict, compare=False)
    previous: str = ""


@dataclass(frozen=True)
class PageSecurity:
    """What a page hides and loads (``crawler.extract.security``), for the security rules."""

    url: str
    title: str = ""
    meta: str = ""
    hidden: tuple[tuple[str, str], ...] = ()  # (how, text)
    hidden_links: tuple[tuple[str, str, str, str, bool], ...] = ()  # url, anchor, title, how, written
    anchors: tuple[tuple[str, str, str], ...] = ()  # visible links to other hosts
    embeds: tuple[tuple[str, str], ...] = ()  # (tag, url) scripts and frames of other hosts
    insecure: tuple[tuple[str, str], ...] = ()  # (tag, url) over http on an https page


@dataclass(frozen=True)
class Visit:
    """A homepage or key column fetched as one kind of visitor, and where it sent them."""

    url: str
    visitor: str  # plain | spider | search | mobile
    status: int | None
    hops: tuple[str, ...] = ()  # Location targets, in order
    refresh: str = ""
    scripts: tuple[tuple[str, str], ...] = ()  # (target, condition: "" | referrer | useragent)
    failure: str | None = None


@dataclass(frozen=True)
class CertificateFact:
    """The certificate the newest probe of an HTTPS homepage saw."""

    url: str
    at: datetime
    host: str
    not_after: datetime | None
    issuer: str = ""
    subject: str = ""
    host_ok: bool | None = None
    error: str | None = None


@dataclass(frozen=True)
class Letter:
    url: str
    title: str
    asked: date | None
    replied: date | None
    status: str = ""


@dataclass(frozen=True)
class Probe:
    at: datetime
    ok: bool
    failure: str | None = None
    status: int | None = None
    elapsed_ms: int | None = None


@dataclass(frozen=True)
class Snapshot:
    """What one run stored of one site or account: the one thing every check reads.

    ``lexicon`` is the loaded 错敏词 lexicon the runner hands to the wording rules (the
    built-in one when none is given).
    """

    name: str
    url: str
    targets: tuple[LinkTarget, ...] = field(default=(), kw_only=True)
    lexicon: Lexicon | None = field(default=None, kw_only=True, compare=False, repr=False)

    @property
    def documents_to_scan(self) -> tuple[Document, ...]:
        """Texts for the wording and privacy rules."""
        return ()


@dataclass(frozen=True)
class SiteSnapshot(Snapshot):
    homepage_fetched: bool
    home_items: tuple[Entry, ...] = ()
    footer_text: str = ""
    documents: tuple[Document, ...] = ()
    columns: tuple[Column, ...] = ()
    letters: tuple[Letter, ...] = ()
    probes: tuple[Probe, ...] = ()
    fetched_urls: frozenset[str] = frozenset()
    homepage_failure: str | None = None  # why this run could not fetch the homepage
    page_security: tuple[PageSecurity, ...] = ()
    visits: tuple[Visit, ...] = ()
    certificate: CertificateFact | None = None
    # external script/frame hosts of the site's baseline (its first patrol); None: this is
    # the first patrol, which sets it
    script_baseline: frozenset[str] | None = None
    # lists of the levels above the site must repost from (``[[sites]] repost_from``),
    # read like any column: their entries are what the site should carry
    repost_sources: tuple[Column, ...] = ()
    # every in-site page link of this run: (source page, target, tag), for the checks that
    # ask whether two pages link each other (policy documents and their interpretations)
    page_links: tuple[tuple[str, str, str], ...] = ()

    @property
    def documents_to_scan(self) -> tuple[Document, ...]:
        return self.documents


@dataclass(frozen=True)
class Post:
    url: str
    title: str
    published: datetime | None
    text: str = ""
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountSnapshot(Snapshot):
    platform: str
    status: str  # ok | unreachable | malformed | empty | wrong_account | mirror_stale
    error: str = ""
    posts: tuple[Post, ...] = ()

    @cached_property
    def documents_to_scan(self) -> tuple[Document, ...]:
        """Each post as a Document (url = the post)."""
        return tuple(
            Document(url=post.url, kind="post", title=post.title, text=post.text,
                     published=post.published.date() if post.published else None)
            for post in self.posts
        )


Check = Callable[[Snapshot, Settings, date], Iterable[Finding]]
