"""Digest mails, recorded before sending so a failed send is retried and none is doubled."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from store.models import Digest

PENDING, SENT, FAILED = "pending", "sent", "failed"


def last_unit_digest_day(session: Session, unit: str, before: date) -> date | None:
    """The day of the newest unit digest of ``unit`` before ``before``."""
    return session.scalar(
        select(func.max(Digest.as_of)).where(Digest.unit == unit, Digest.as_of < before,
                                             Digest.key.like("%:unit:%"))
    )


def status_of(session: Session, key: str) -> str | None:
    """The status of the digest recorded under ``key``; None when there is none."""
    return session.scalar(select(Digest.status).where(Digest.key == key))


def add_digest(session: Session, *, key: str, recipient: str, unit: str, as_of: date,
               subject: str, message: str, now: datetime) -> None:
    session.add(Digest(key=key, recipient=recipient, unit=unit, as_of=as_of, subject=subject,
                       message=message, status=PENDING, created_at=now))


def claim(session: Session, digest_id: int, attempts: int) -> bool:
    """Bump the attempt count if nobody else did since it read ``attempts``: ours to send."""
    result = session.execute(
        update(Digest)
        .where(Digest.id == digest_id, Digest.status.in_((PENDING, FAILED)),
               Digest.attempts == attempts)
        .values(attempts=attempts + 1)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def mark_failed(session: Session, digest_id: int, error: str) -> None:
    session.execute(update(Digest).where(Digest.id == digest_id)
                    .values(status=FAILED, last_error=error))


def mark_sent(session: Session, digest_id: int, now: datetime, delivered_to: str) -> None:
    session.execute(update(Digest).where(Digest.id == digest_id).values(
        status=SENT, sent_at=now, delivered_to=delivered_to, last_error=""))


def due(session: Session, first: date, last: date, unit: str | None) -> list[Digest]:
    """Pending or failed digests of days in (first, last], oldest record first."""
    stmt = select(Digest).where(
        Digest.status.in_((PENDING, FAILED)), Digest.as_of > first, Digest.as_of <= last,
    ).order_by(Digest.id)
    if unit is not None:
        stmt = stmt.where(Digest.unit == unit)
    return list(session.scalars(stmt))


def by_keys(session: Session, keys: list[str]) -> list[Digest]:
    """The mails recorded under ``keys`` (alerts), in record order."""
    return list(session.scalars(select(Digest).where(Digest.key.in_(keys)).order_by(Digest.id)))
