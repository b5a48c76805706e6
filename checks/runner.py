"""Run every registered check over one site's or account's snapshot: the entry the patrol calls."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from checks import lexicon as lexicons
from checks.allow import EMPTY, Allowlist
from checks.lexicon import Lexicon
from checks.model import AccountSnapshot, Finding, Snapshot
from checks.registry import ORDER, checks
from core.errors import CheckError
from core.settings import Settings


def load_lexicon(settings: Settings) -> Lexicon:
    """Built-in terms, then ``checks.lexicons`` files, minus ``checks.allow_terms``.

    A relative lexicon path is taken from the config file's folder. A bad line is skipped
    and recorded in ``Lexicon.problems``; a missing file raises CheckError.
    """
    base = Path(settings.source).parent if Path(settings.source).is_file() else Path()
    paths = [base / p for p in settings.checks.lexicons]
    return lexicons.load(paths, settings.checks.allow_terms)


def run_checks(
    snapshot: Snapshot, settings: Settings, as_of: date, *,
    allow: Allowlist = EMPTY, lexicon: Lexicon | None = None,
) -> list[Finding]:
    """Every rule over one site or account, allowed findings removed, in catalogue order.

    ``lexicon`` (loaded once per patrol) is handed to the snapshot the checks read.
    """
    if lexicon is not None:
        snapshot = replace(snapshot, lexicon=lexicon)
    account = isinstance(snapshot, AccountSnapshot)
    found: list[Finding] = []
    for check, rule_ids in checks():
        for finding in check(snapshot, settings, as_of):
            if finding.rule not in rule_ids:
                raise CheckError(f"check {check.__module__}.{check.__name__} reported "
                                 f"{finding.rule!r}, which is not registered with it")
            found.append(replace(finding, site=None if account else snapshot.name,
                                 account=snapshot.name if account else None))
    kept = [f for f in found if not allow.allows(f)]
    return sorted(kept, key=lambda f: ORDER.get(f.rule, len(ORDER)))
