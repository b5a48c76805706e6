"""Plain data the rules read and write: rules, findings, and snapshots of what was stored.

Snapshots are built by ``store.snapshot`` from one patrol run; rules are pure functions
``check(snapshot, settings, as_of) -> Iterator[Finding]`` over them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    VETO = "veto"
    DEDUCT = "deduct"
    WARN = "warn"


SEVERITY_LABELS = {Severity.VETO: "单项否决", Severity.DEDUCT: "扣分", Severity.WARN: "提示"}


class Status(StrEnum):
    STABLE = "stable"
    PREVIEW = "preview"
    REMOVED = "removed"


@dataclass(frozen=True)
class Rule:
    """A rule's metadata; ``doc`` is the user-facing explanation in fixed sections."""

    id: str
    severity: Severity
    indicator: str
    title: str
    doc: str
    scope: str = "site"
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


# --- snapshots ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A dated item in a list: a column entry, a homepage item."""

    title: str
    url: str
    published: date | None


@dataclass(frozen=True)
class Column:
    url: str
    name: str
    type: str  # news | notice | must_update | other
    blank: bool
    entries: tuple[Entry, ...] = ()
    top_level: bool = True
    placeholder: str | None = None

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


@dataclass(frozen=True)
class LinkSource:
    page: str
    tag: str
    anchor: str = ""


@dataclass(frozen=True)
class LinkTarget:
    """One checked URL and every page that refers to it."""

    url: str
    verdict: str  # ok | broken | suspect | skipped
    failure: str | None  # 404 | 410 | soft404 | dns | refused | timeout | 5xx | 429 | tls | 403 | ...
    status: int | None
    in_scope: bool
    sources: tuple[LinkSource, ...] = ()
    attempts: int = 1
    redirects: tuple[str, ...] = ()


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
class SiteSnapshot:
    name: str
    url: str
    homepage_fetched: bool
    home_items: tuple[Entry, ...] = ()
    footer_text: str = ""
    documents: tuple[Document, ...] = ()
    targets: tuple[LinkTarget, ...] = ()
    columns: tuple[Column, ...] = ()
    letters: tuple[Letter, ...] = ()
    probes: tuple[Probe, ...] = ()
    fetched_urls: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Post:
    url: str
    title: str
    published: datetime | None
    text: str = ""
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountSnapshot:
    name: str
    platform: str
    url: str
    status: str  # ok | unreachable | malformed | empty
    error: str = ""
    posts: tuple[Post, ...] = ()
    targets: tuple[LinkTarget, ...] = ()
