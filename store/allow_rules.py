"""Allow rules: dismissals the checks honour (this item, this text on this site, everywhere)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store.models import AllowRule


def add_allow_rule(session: Session, *, scope: str, rule: str, fingerprint: str,
                   text: str | None, site: str | None, reason: str, created_by: str,
                   created_at: datetime) -> None:
    session.add(AllowRule(scope=scope, rule=rule, fingerprint=fingerprint, text=text, site=site,
                          reason=reason, created_by=created_by, created_at=created_at))


def withdraw(session: Session, fingerprint: str) -> None:
    """Remove every allow rule made by dismissing the item with ``fingerprint``."""
    session.execute(delete(AllowRule).where(AllowRule.fingerprint == fingerprint))


def text_rules(session: Session) -> list[tuple[str, str | None, str, str]]:
    """(scope, site, rule, text) of every allow rule that allows a text: site and global ones."""
    rows = session.execute(select(AllowRule.scope, AllowRule.site, AllowRule.rule, AllowRule.text)
                           .where(AllowRule.scope.in_(("site", "global"))))
    return [(scope, site, rule, text) for scope, site, rule, text in rows if text]
