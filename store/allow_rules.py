"""Allow rules: dismissals the checks honour (this item, this text on this site, everywhere)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
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
