"""API tokens for ``POST /api/check``: shown once when made, stored as their SHA-256 only."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from core.errors import XunwangError
from store import tokens
from store.models import ApiToken

PREFIX = "xw_"


class TokenError(XunwangError):
    """A token cannot be made or revoked as asked (duplicate or unknown name)."""


@dataclass(frozen=True)
class TokenView:
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _view(token: ApiToken) -> TokenView:
    return TokenView(token.name, token.created_at, token.last_used_at, token.revoked_at)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_token(session: Session, name: str, now: datetime) -> tuple[TokenView, str]:
    """A new token named ``name``; the plain token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise TokenError("令牌名称不能为空")
    if tokens.token_named(session, name) is not None:
        raise TokenError(f"已有名为 {name!r} 的令牌；请换一个名称，或先撤销旧令牌")
    plain = PREFIX + secrets.token_urlsafe(32)
    return _view(tokens.add_token(session, name=name, token_hash=digest(plain), now=now)), plain


def list_tokens(session: Session) -> list[TokenView]:
    return [_view(t) for t in tokens.all_tokens(session)]


def revoke_token(session: Session, name: str, now: datetime) -> TokenView:
    token = tokens.token_named(session, name.strip())
    if token is None:
        known = "、".join(t.name for t in tokens.all_tokens(session)) or "（无）"
        raise TokenError(f"没有名为 {name!r} 的令牌；现有令牌：{known}")
    if token.revoked_at is None:
        tokens.revoke(session, token, now)
    return _view(token)


def authorized(session: Session, presented: str, now: datetime) -> str | None:
    """The name of the active token ``presented`` is, else None; records its use."""
    if not presented.startswith(PREFIX):
        return None
    token = tokens.token_by_hash(session, digest(presented))
    if token is None or token.revoked_at is not None:
        return None
    tokens.mark_used(session, token, now)
    return token.name
