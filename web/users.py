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
    disabled: bool = False


def _view(user: User) -> UserView:
    return UserView(user.username, user.role, user.unit, user.created_at, bool(user.disabled))


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
    if not verify_password(password, user.password_hash):
        return None
    return None if user.disabled else _view(user)


def _existing(session: Session, username: str) -> User:
    user = users.user_named(session, username.strip())
    if user is None:
        known = "、".join(u.username for u in users.all_users(session)) or "（无）"
        raise UserError(f"没有用户 {username!r}；现有用户：{known}")
    return user


def _checked(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 个字符")
    return password


def set_password(session: Session, username: str, password: str) -> UserView:
    """Give ``username`` a new password (an admin's reset, or ``xunwang users passwd``)."""
    user = _existing(session, username)
    users.set_password_hash(session, user, hash_password(_checked(password)))
    return _view(user)


def change_own_password(session: Session, username: str, current: str, new: str) -> UserView:
    """A user's own change: the current password must match."""
    user = _existing(session, username)
    if not verify_password(current, user.password_hash):
        raise UserError("当前密码不正确")
    if current == new:
        raise UserError("新密码不能与当前密码相同")
    users.set_password_hash(session, user, hash_password(_checked(new)))
    return _view(user)


def set_disabled(session: Session, username: str, disabled: bool) -> UserView:
    """Disable (no login, sessions end at their next request) or enable a user."""
    user = _existing(session, username)
    if disabled and user.role == "admin" and not any(
            u.role == "admin" and not u.disabled and u.username != user.username
            for u in users.all_users(session)):
        raise UserError("不能停用最后一个可用的管理员")
    users.set_disabled(session, user, disabled)
    return _view(user)
