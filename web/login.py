"""Login and logout: a fresh signed session (and CSRF nonce) at each login."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.app_state import app_state, checked_csrf
from web.auth import SessionData
from web.throttle import LoginThrottle
from web.users import authenticate

router = APIRouter()


def _safe_next(target: str) -> str:
    # Only same-site paths: never bounce a fresh login to another host.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/items"


@router.get("/login")
def login_form(request: Request, next: str = "/items") -> Response:
    ctx = app_state(request)
    data = ctx.read_session(request) or SessionData.fresh(int(time.time()))
    return ctx.page("login.html", None, session=data, next=_safe_next(next), error="")


@router.post("/login")
def login_submit(
    request: Request,
    _csrf: Annotated[SessionData, Depends(checked_csrf)],
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/items",
) -> Response:
    ctx = app_state(request)
    keys = (f"user:{username.strip()}", f"addr:{request.client.host if request.client else ''}")
    throttle: LoginThrottle = request.app.state.login_throttle
    wait = throttle.wait_seconds(*keys)
    if wait:
        return ctx.page(
            "login.html", None, status=429, session=SessionData.fresh(int(time.time())),
            next=_safe_next(next), error=f"登录失败次数过多，请 {wait // 60 + 1} 分钟后再试。",
        )
    with ctx.transaction() as session:
        user = authenticate(session, username, password)
    if user is None:
        throttle.failed(*keys)
        data = SessionData.fresh(int(time.time()))
        return ctx.page(
            "login.html", None, status=401, session=data, next=_safe_next(next),
            error="用户名或密码错误。",
        )
    throttle.succeeded(*keys)
    response = RedirectResponse(_safe_next(next), status_code=303)
    ctx.set_cookie(response, SessionData.fresh(int(time.time()), user.username))
    return response


@router.get("/logout")
def logout_form(request: Request) -> Response:
    """Logging out changes state, so it is a POST; this page offers the button."""
    ctx = app_state(request)
    data = ctx.read_session(request)
    if data is None:
        return RedirectResponse("/login", status_code=303)
    return ctx.page("logout.html", None, session=data)


@router.post("/logout")
def logout(request: Request, _csrf: Annotated[SessionData, Depends(checked_csrf)]) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie("xw_session", path="/")
    return response
