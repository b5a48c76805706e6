"""Run every rule over one site's or account's snapshot: the entry the patrol calls."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from checks import (
    accounts,
    availability,
    freshness,
    identity,
    interaction,
    links,
    privacy,
    wording,
)
from checks import lexicon as lexicons
from checks.allow import EMPTY, Allowlist
from checks.lexicon import Lexicon
from checks.model import AccountSnapshot, Document, Finding, SiteSnapshot
from checks.registry import ORDER
from core.settings import Settings


def load_lexicon(settings: Settings) -> Lexicon:
    """Built-in terms, then ``checks.lexicons`` files, minus ``checks.allow_terms``.

    A relative lexicon path is taken from the config file's folder. A bad line is skipped
    and recorded in ``Lexicon.problems``; a missing file raises CheckError.
    """
    base = Path(settings.source).parent if Path(settings.source).is_file() else Path()
    paths = [base / p for p in settings.checks.lexicons]
    return lexicons.load(paths, settings.checks.allow_terms)


def _content(
    documents: Iterable[Document], lexicon: Lexicon, as_of: date, width: int,
) -> Iterator[Finding]:
    documents = tuple(documents)
    yield from wording.scan(documents, lexicon, as_of, context_chars=width)
    yield from privacy.scan(documents, as_of, context_chars=width)


def _finish(
    findings: Iterable[Finding], allow: Allowlist, *,
    site: str | None = None, account: str | None = None,
) -> list[Finding]:
    placed = [replace(f, site=site, account=account) for f in findings]
    kept = [f for f in placed if not allow.allows(f)]
    return sorted(kept, key=lambda f: ORDER.get(f.rule, len(ORDER)))


def check_site(
    snapshot: SiteSnapshot, settings: Settings, as_of: date, *,
    allow: Allowlist = EMPTY, lexicon: Lexicon | None = None,
) -> list[Finding]:
    """Every website rule over one site, allowed findings removed, in catalogue order."""
    lexicon = load_lexicon(settings) if lexicon is None else lexicon
    findings = [
        *availability.check(snapshot, settings, as_of),
        *freshness.check(snapshot, settings, as_of),
        *interaction.check(snapshot, settings, as_of),
        *links.check(snapshot.targets, snapshot.url),
        *identity.check(snapshot, settings, as_of),
        *_content(snapshot.documents, lexicon, as_of, settings.checks.context_chars),
    ]
    return _finish(findings, allow, site=snapshot.name)


def check_account(
    snapshot: AccountSnapshot, settings: Settings, as_of: date, *,
    allow: Allowlist = EMPTY, lexicon: Lexicon | None = None,
) -> list[Finding]:
    """The new-media rules, plus wording, privacy and link rules on every post."""
    lexicon = load_lexicon(settings) if lexicon is None else lexicon
    findings = [
        *accounts.check(snapshot, settings, as_of),
        *links.check(snapshot.targets, snapshot.url),
        *_content(accounts.documents(snapshot), lexicon, as_of, settings.checks.context_chars),
    ]
    return _finish(findings, allow, account=snapshot.name)
