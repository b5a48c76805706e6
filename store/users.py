"""Web users: office admins and unit users (passwords arrive hashed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import User


def user_named(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def add_user(session: Session, *, username: str, password_hash: str, role: str, unit: str,
             now: datetime) -> User:
    user = User(username=username, password_hash=password_hash, role=role, unit=unit,
                created_at=now)
    session.add(user)
    session.flush()
    return user


def all_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.username)))


def set_password_hash(session: Session, user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    session.flush()


def set_disabled(session: Session, user: User, disabled: bool) -> None:
    user.disabled = disabled
    session.flush()
