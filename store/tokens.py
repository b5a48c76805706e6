"""API tokens of the pre-publication API: only each token's SHA-256 is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ApiToken


def token_named(session: Session, name: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.name == name))


def token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))


def add_token(session: Session, *, name: str, token_hash: str, now: datetime) -> ApiToken:
    token = ApiToken(name=name, token_hash=token_hash, created_at=now)
    session.add(token)
    session.flush()
    return token


def all_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.name)))


def mark_used(session: Session, token: ApiToken, now: datetime) -> None:
    token.last_used_at = now
    session.flush()


def revoke(session: Session, token: ApiToken, now: datetime) -> None:
    token.revoked_at = now
    session.flush()
