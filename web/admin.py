"""User management for office admins, and every user's own password change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from web.app_state import AppState, Viewer, app_state, checked_csrf
from web.auth import SessionData
from web.users import (
    ROLES,
    UserError,
    add_user,
    change_own_password,
    list_users,
    set_disabled,
    set_password,
)

router = APIRouter()
Csrf = Annotated[SessionData, Depends(checked_csrf)]
Text = Annotated[str, Form()]
DONE = {"added": "已添加用户。", "disabled": "已停用该用户。", "enabled": "已启用该用户。",
        "password": "已重设密码。"}


def _admin(ctx: AppState, request: Request, session: Session) -> Viewer:
    viewer = ctx.require_viewer(request, session)
    if not viewer.is_admin:
        raise HTTPException(403, "仅管理员可以管理用户。")
    return viewer


def _users_page(ctx: AppState, viewer: Viewer, session: Session, *, status: int = 200,
                error: str = "", done: str = "") -> Response:
    return ctx.page("users.html", viewer, status=status, users=list_users(session),
                    units=[u.name for u in ctx.settings.units], roles=ROLES, error=error,
                    done=DONE.get(done, ""))


@router.get("/users")
def users_page(request: Request, done: str = "") -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = _admin(ctx, request, session)
        return _users_page(ctx, viewer, session, done=done)


def _change(request: Request, change: Callable[[Session, Viewer], None], done: str) -> Response:
    ctx = app_state(request)
    try:
        with ctx.transaction() as session:
            viewer = _admin(ctx, request, session)
            change(session, viewer)
    except UserError as error:
        with ctx.transaction() as session:
            viewer = _admin(ctx, request, session)
            return _users_page(ctx, viewer, session, status=400, error=str(error))
    return RedirectResponse(f"/users?done={done}", status_code=303)


@router.post("/users")
def users_add(request: Request, _c: Csrf, username: Text = "", password: Text = "",
              role: Text = "unit", unit: Text = "") -> Response:
    ctx = app_state(request)
    known = [u.name for u in ctx.settings.units]

    def change(session: Session, _viewer: Viewer) -> None:
        if role == "unit" and known and unit not in known:
            raise UserError(f"没有名为 {unit!r} 的责任单位；配置中的单位有：{'、'.join(known)}")
        add_user(session, username, password, role, unit if role == "unit" else "", ctx.clock())

    return _change(request, change, "added")


@router.post("/users/{username}/disable")
def users_disable(request: Request, username: str, _c: Csrf) -> Response:
    def change(session: Session, viewer: Viewer) -> None:
        if username == viewer.user.username:
            raise UserError("不能停用自己的账户")
        set_disabled(session, username, True)

    return _change(request, change, "disabled")


@router.post("/users/{username}/enable")
def users_enable(request: Request, username: str, _c: Csrf) -> Response:
    def change(session: Session, _viewer: Viewer) -> None:
        set_disabled(session, username, False)

    return _change(request, change, "enabled")


@router.post("/users/{username}/password")
def users_password(request: Request, username: str, _c: Csrf, password: Text = "") -> Response:
    def change(session: Session, _viewer: Viewer) -> None:
        set_password(session, username, password)

    return _change(request, change, "password")


@router.get("/password")
def password_form(request: Request, done: str = "") -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
    return ctx.page("password.html", viewer, error="", done="已修改密码。" if done else "")


@router.post("/password")
def password_change(request: Request, _c: Csrf, current: Text = "", new: Text = "",
                    confirm: Text = "") -> Response:
    ctx = app_state(request)
    error = ""
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        try:
            if new != confirm:
                raise UserError("两次输入的新密码不一致")
            change_own_password(session, viewer.user.username, current, new)
        except UserError as problem:
            error = str(problem)
    if error:
        return ctx.page("password.html", viewer, status=400, error=error, done="")
    return RedirectResponse(f"/password?done={quote('1')}", status_code=303)
