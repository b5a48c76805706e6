"""Web users: office admins and unit users; functions take a Session and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy.orm import Session

from core.errors import XunwangError
from store import users
from store.models import User
from web.auth import hash_password, verify_password

ROLES = ("admin", "unit")
MIN_PASSWORD = 8


@cache
def _dummy_hash() -> str:
    # Verifying against this keeps a login for an unknown name as slow as for a known one.
    return hash_password("not-a-real-password")


class UserError(XunwangError):
    """A user cannot be added as asked (duplicate name, bad role, short password)."""


@dataclass(frozen=True)
class UserView:
    username: str
    role: str
    unit: str
    created_at: datetime


def _view(user: User) -> UserView:
    return UserView(user.username, user.role, user.unit, user.created_at)


def add_user(
    session: Session, username: str, password: str, role: str, unit: str, now: datetime
) -> UserView:
    """Add a user; a unit user must name its unit, an admin must not."""
    username = username.strip()
    if not username:
        raise UserError("用户名不能为空")
    if role not in ROLES:
        raise UserError(f"角色 {role!r} 无效，可选: admin, unit")
    if role == "unit" and not unit.strip():
        raise UserError("单位用户必须用 --unit 指定责任单位")
    if role == "admin" and unit:
        raise UserError("管理员不属于某个单位，请去掉 --unit")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")
    if users.user_named(session, username) is not None:
        raise UserError(f"用户 {username!r} 已存在")
    user = users.add_user(session, username=username, password_hash=hash_password(password),
                          role=role, unit=unit.strip(), now=now)
    return _view(user)


def list_users(session: Session) -> list[UserView]:
    return [_view(u) for u in users.all_users(session)]


def get_user(session: Session, username: str) -> UserView | None:
    user = users.user_named(session, username)
    return _view(user) if user else None


def authenticate(session: Session, username: str, password: str) -> UserView | None:
    """The user when the password matches, else None (same cost either way)."""
    user = users.user_named(session, username.strip())
    if user is None:
        verify_password(password, _dummy_hash())
        return None
    return _view(user) if verify_password(password, user.password_hash) else None
