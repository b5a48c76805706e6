"""Every rule with its check, in the order of the catalogue (RULES.md). Ids are never reused.

Adding a rule: write its check and its ``Rule`` in the family's module, add one line here.
Several rules may share one check when one pass over the snapshot serves them all (the
lexicon for the wording rules, the number detectors for the privacy rules); the runner
calls each distinct check once per snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks import (
    accounts,
    annual_report,
    availability,
    freshness,
    identity,
    interaction,
    interpretation,
    links,
    privacy,
    repost,
    security,
    security_transport,
    wording,
)
from checks.doc import sections
from checks.model import Check, Rule, Scope
from core.errors import CheckError


@dataclass(frozen=True)
class Registered:
    rule: Rule
    check: Check


REGISTRY: tuple[Registered, ...] = (
    Registered(availability.SITE_UNREACHABLE, availability.site_unreachable),
    Registered(freshness.HOMEPAGE_STALE, freshness.homepage_stale),
    Registered(freshness.COLUMN_STALE, freshness.column_stale),
    Registered(freshness.COLUMN_BLANK, freshness.column_blank),
    Registered(freshness.COLUMNS_VETO, freshness.columns_veto),
    Registered(interaction.INTERACTION_OVERDUE, interaction.interaction_overdue),
    Registered(links.LINK_BROKEN, links.link_broken),
    Registered(links.LINK_SUSPECT, links.link_suspect),
    Registered(identity.SITE_IDENTITY, identity.site_identity),
    Registered(wording.WORDING_SEVERE, wording.check),
    Registered(wording.WORDING_OUTDATED, wording.check),
    Registered(wording.WORDING_SENSITIVE, wording.check),
    Registered(wording.WORDING_TYPO, wording.check),
    Registered(wording.WORDING_SUSPECT, wording.check),
    Registered(privacy.PRIVACY_ID_NUMBER, privacy.check),
    Registered(privacy.PRIVACY_PHONE, privacy.check),
    Registered(privacy.PRIVACY_BANK_CARD, privacy.check),
    Registered(accounts.ACCOUNT_STALE, accounts.account_stale),
    Registered(accounts.ACCOUNT_ZOMBIE, accounts.account_zombie),
    Registered(security.SECURITY_ILLEGAL_CONTENT, security.security_illegal_content),
    Registered(security.SECURITY_DARK_LINK, security.security_dark_link),
    Registered(security_transport.SECURITY_REDIRECT, security_transport.security_redirect),
    Registered(security.SECURITY_OUTBOUND_HIJACKED, security.security_outbound_hijacked),
    Registered(security_transport.SECURITY_SCRIPT_CHANGED,
               security_transport.security_script_changed),
    Registered(security_transport.TLS_CERTIFICATE, security_transport.tls_certificate),
    Registered(security_transport.MIXED_CONTENT, security_transport.mixed_content),
    Registered(interpretation.INTERPRETATION_MISSING, interpretation.interpretation_missing),
    Registered(interpretation.INTERPRETATION_LATE, interpretation.interpretation_late),
    Registered(interpretation.INTERPRETATION_UNLINKED, interpretation.interpretation_unlinked),
    Registered(repost.REPOST_LATE, repost.repost_late),
    Registered(annual_report.ANNUAL_REPORT_MISSING, annual_report.annual_report_missing),
    Registered(annual_report.ANNUAL_REPORT_INCONSISTENT, annual_report.annual_report_inconsistent),
    Registered(annual_report.ANNUAL_REPORT_INCOMPLETE, annual_report.annual_report_incomplete),
)
RULES: tuple[Rule, ...] = tuple(entry.rule for entry in REGISTRY)
ORDER = {r.id: index for index, r in enumerate(RULES)}
_BY_ID = {r.id: r for r in RULES}


def rule(rule_id: str) -> Rule:
    """The rule with this id; CheckError names the known ids otherwise."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise CheckError(f"no rule {rule_id!r}; run `xunwang rules` for the list") from None


def title(rule_id: str) -> str:
    """The rule's Chinese title; an id no longer registered is shown as itself."""
    found = _BY_ID.get(rule_id)
    return found.title if found else rule_id


def explanation(rule_id: str) -> dict[str, str]:
    """The rule's explanation by section (检查内容, 为何重要, 示例, 如何整改); {} if unknown."""
    found = _BY_ID.get(rule_id)
    return sections(found.doc) if found else {}


def rule_scope(rule_id: str) -> Scope:
    """What the rule's findings are about; an unregistered (retired) id counts as its page."""
    found = _BY_ID.get(rule_id)
    return found.scope if found else Scope.DOCUMENT


def checks() -> tuple[tuple[Check, frozenset[str]], ...]:
    """Each distinct check once, in catalogue order, with the rule ids it may report."""
    grouped: dict[Check, set[str]] = {}
    for entry in REGISTRY:
        grouped.setdefault(entry.check, set()).add(entry.rule.id)
    return tuple((check, frozenset(ids)) for check, ids in grouped.items())
