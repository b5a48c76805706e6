"""Every rule, in the order of the catalogue (RULES.md). Ids are never reused."""

from __future__ import annotations

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
from checks.model import Rule
from core.errors import CheckError

RULES: tuple[Rule, ...] = (
    availability.SITE_UNREACHABLE,
    freshness.HOMEPAGE_STALE,
    freshness.COLUMN_STALE,
    freshness.COLUMN_BLANK,
    freshness.COLUMNS_VETO,
    interaction.INTERACTION_OVERDUE,
    links.LINK_BROKEN,
    links.LINK_SUSPECT,
    identity.SITE_IDENTITY,
    wording.WORDING_SEVERE,
    wording.WORDING_OUTDATED,
    wording.WORDING_SENSITIVE,
    wording.WORDING_TYPO,
    wording.WORDING_SUSPECT,
    privacy.PRIVACY_ID_NUMBER,
    privacy.PRIVACY_PHONE,
    privacy.PRIVACY_BANK_CARD,
    accounts.ACCOUNT_STALE,
    accounts.ACCOUNT_ZOMBIE,
)
_BY_ID = {r.id: r for r in RULES}
ORDER = {r.id: index for index, r in enumerate(RULES)}


def rule(rule_id: str) -> Rule:
    """The rule with this id; CheckError names the known ids otherwise."""
    try:
        return _BY_ID[rule_id]
    except KeyError:
        raise CheckError(f"no rule {rule_id!r}; run `xunwang rules` for the list") from None
