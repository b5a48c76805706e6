"""Web sessions ended by logout, and the addresses users log in from.

Functions take a Session and never commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from store.models import LoginAddress, RevokedSession


def _insert(session: Session) -> type:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert  # type: ignore[return-value]


def revoke(session: Session, nonce: str, expires_at: datetime, now: datetime) -> None:
    """End the session ``nonce``; forget revocations of sessions that have expired anyway."""
    session.execute(delete(RevokedSession).where(RevokedSession.expires_at < now))
    session.execute(_insert(session)(RevokedSession).values(nonce=nonce, expires_at=expires_at)
                    .on_conflict_do_nothing(index_elements=["nonce"]))


def is_revoked(session: Session, nonce: str) -> bool:
    return session.get(RevokedSession, nonce) is not None


def record_login(session: Session, username: str, address: str, now: datetime) -> None:
    """``username`` logged in from ``address`` at ``now``."""
    done = session.execute(
        update(LoginAddress).where(LoginAddress.username == username,
                                   LoginAddress.address == address)
        .values(last_at=now, logins=LoginAddress.logins + 1))
    if not getattr(done, "rowcount", 0):
        session.execute(_insert(session)(LoginAddress).values(
            username=username, address=address, last_at=now, logins=1)
            .on_conflict_do_nothing(index_elements=["username", "address"]))


def is_usual_address(session: Session, username: str, address: str, since: datetime) -> bool:
    """Whether ``username`` logged in from ``address`` at or after ``since``."""
    return session.scalar(select(LoginAddress.id).where(
        LoginAddress.username == username, LoginAddress.address == address,
        LoginAddress.last_at >= since)) is not None
