"""Digest mails, recorded before sending so a failed send is retried and none is doubled.

A digest's send state:

    pending ──claim──> sending ──> sent        the server said 250 to the message
                          │──────> failed      known not delivered (refused, no connection,
                          │                    an error reply): the next run retries it
                          └──────> uncertain   the message may have arrived (no reply after
                                               DATA, or the process died while sending):
                                               never resent automatically
    pending | failed ──(a newer digest of the same recipient)──> superseded

The claim records the attempt (who, when, ``attempts + 1``) BEFORE a byte is sent, in its
own transaction, so a kill between send and record leaves ``sending``; ``reconcile``
turns a ``sending`` row whose process is gone into ``uncertain``. Functions take a
Session and never commit.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import Digest
from store.runs import STALE_AFTER, Process, pid_alive

PENDING, SENDING, SENT, FAILED, UNCERTAIN, SUPERSEDED = (
    "pending", "sending", "sent", "failed", "uncertain", "superseded")
# A digest counts as delivered (for "new since the last digest") once it may have arrived.
_REACHED = (SENT, SENDING, UNCERTAIN)


def last_unit_digest_day(session: Session, unit: str, before: date) -> date | None:
    """The day of the newest unit digest of ``unit`` before ``before`` that may have arrived."""
    return session.scalar(
        select(func.max(Digest.as_of)).where(Digest.unit == unit, Digest.as_of < before,
                                             Digest.key.like("%:unit:%"),
                                             Digest.status.in_(_REACHED))
    )


def first_missed_unit_day(session: Session, unit: str, before: date) -> date | None:
    """The day of the oldest unit digest of ``unit`` before ``before`` that never went out."""
    return session.scalar(
        select(func.min(Digest.as_of)).where(Digest.unit == unit, Digest.as_of < before,
                                             Digest.key.like("%:unit:%"),
                                             Digest.status.in_((PENDING, FAILED, SUPERSEDED)))
    )


def status_of(session: Session, key: str) -> str | None:
    """The status of the digest recorded under ``key``; None when there is none."""
    return session.scalar(select(Digest.status).where(Digest.key == key))


def add_digest(session: Session, *, key: str, recipient: str, unit: str, as_of: date,
               subject: str, message: str, message_id: str, now: datetime) -> bool:
    """Record a digest unless one is already recorded under ``key``; True when this did.

    An insert that ignores a duplicate key: two ``digest`` runs racing to record the same
    digest both succeed, and only one row (the first) exists.
    """
    values = dict(key=key, recipient=recipient, unit=unit, as_of=as_of, subject=subject,
                  message=message, message_id=message_id, status=PENDING, attempts=0,
                  last_error="", delivered_to="", created_at=now)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = session.execute(insert(Digest).values(**values)
                             .on_conflict_do_nothing(index_elements=["key"]))
    return bool(getattr(result, "rowcount", 0) == 1)


def supersede(session: Session, *, unit: str, office: bool, before: date) -> int:
    """Older unsent digests of the same recipient: today's digest replaces them."""
    stmt = update(Digest).where(Digest.as_of < before, Digest.unit == unit,
                                Digest.status.in_((PENDING, FAILED)))
    stmt = stmt.where(Digest.key.like("%:office") if office else Digest.key.like("%:unit:%"))
    result = session.execute(stmt.values(status=SUPERSEDED)
                             .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0))


def claim(session: Session, digest_id: int, attempts: int, process: Process,
          now: datetime) -> bool:
    """Record the attempt if nobody else did since it read ``attempts``: ours to send."""
    result = session.execute(
        update(Digest)
        .where(Digest.id == digest_id, Digest.status.in_((PENDING, FAILED)),
               Digest.attempts == attempts)
        .values(attempts=attempts + 1, status=SENDING, claimed_at=now,
                claimed_pid=process.pid, claimed_host=process.host)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def mark_failed(session: Session, digest_id: int, error: str) -> None:
    session.execute(update(Digest).where(Digest.id == digest_id)
                    .values(status=FAILED, last_error=error))


def mark_uncertain(session: Session, digest_id: int, error: str) -> None:
    session.execute(update(Digest).where(Digest.id == digest_id)
                    .values(status=UNCERTAIN, last_error=error))


def mark_sent(session: Session, digest_id: int, now: datetime, delivered_to: str) -> None:
    session.execute(update(Digest).where(Digest.id == digest_id).values(
        status=SENT, sent_at=now, delivered_to=delivered_to, last_error=""))


def reconcile(session: Session, now: datetime, here: Process) -> list[Digest]:
    """``sending`` rows whose process is gone become ``uncertain``; returns them.

    On this host a dead pid says so at once; a row of another host (or without a pid) is
    gone when it was claimed longer than ``STALE_AFTER`` ago.
    """
    gone = []
    for row in session.scalars(select(Digest).where(Digest.status == SENDING)):
        if row.claimed_host == here.host and row.claimed_pid is not None:
            dead = row.claimed_pid != here.pid and not pid_alive(row.claimed_pid)
        else:
            dead = row.claimed_at is None or now - row.claimed_at > STALE_AFTER
        if dead:
            row.status = UNCERTAIN
            row.last_error = ("发送进程在投递中途终止，无法确认对方是否已收到"
                              "（未自动重发）")
            gone.append(row)
    session.flush()
    return gone


def uncertain(session: Session, since: date) -> list[Digest]:
    """Digests of days from ``since`` whose delivery nobody could confirm, oldest first."""
    return list(session.scalars(select(Digest).where(
        Digest.status == UNCERTAIN, Digest.as_of >= since).order_by(Digest.id)))


def count_failed(session: Session, since: date) -> int:
    return int(session.scalar(select(func.count()).select_from(Digest).where(
        Digest.status == FAILED, Digest.as_of >= since)) or 0)


def resend(session: Session, key: str) -> bool:
    """An operator knows an uncertain digest did not arrive: the next run sends it again."""
    result = session.execute(update(Digest).where(Digest.key == key,
                                                  Digest.status == UNCERTAIN)
                             .values(status=FAILED))
    return bool(getattr(result, "rowcount", 0) == 1)


def due(session: Session, as_of: date, unit: str | None) -> list[Digest]:
    """Pending or failed digests of ``as_of`` (older ones are superseded), oldest first."""
    stmt = select(Digest).where(
        Digest.status.in_((PENDING, FAILED)), Digest.as_of == as_of,
    ).order_by(Digest.id)
    if unit is not None:
        stmt = stmt.where(Digest.unit == unit)
    return list(session.scalars(stmt))


def by_keys(session: Session, keys: list[str]) -> list[Digest]:
    """The mails recorded under ``keys`` (alerts), in record order."""
    return list(session.scalars(select(Digest).where(Digest.key.in_(keys)).order_by(Digest.id)))
