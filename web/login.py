"""Login and logout: a fresh signed session (and CSRF nonce) at each login; logout revokes it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from store import logins
from web.app_state import app_state, checked_csrf
from web.auth import SessionData
from web.throttle import LoginThrottle, client_address, trusted_networks
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


USUAL_ADDRESS_DAYS = 90  # a successful login from an address makes it usual this long


@router.post("/login")
def login_submit(
    request: Request,
    _csrf: Annotated[SessionData, Depends(checked_csrf)],
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/items",
) -> Response:
    ctx = app_state(request)
    name, address = username.strip(), client_of(request)
    now = ctx.clock()
    with ctx.transaction() as session:
        usual = logins.is_usual_address(session, name, address,
                                        now - timedelta(days=USUAL_ADDRESS_DAYS))
    # A name is locked only for addresses its user does not log in from: guessing from
    # elsewhere cannot lock the user out. The guesser's own address is always counted.
    keys = (f"addr:{address}",) if usual else (f"addr:{address}", f"user:{name}")
    throttle: LoginThrottle = request.app.state.login_throttle
    wait = throttle.reserve(*keys)  # counted before the password is checked: atomic
    if wait:
        return ctx.page(
            "login.html", None, status=429, session=SessionData.fresh(int(time.time())),
            next=_safe_next(next), error=f"登录失败次数过多，请 {wait // 60 + 1} 分钟后再试。",
        )
    user = None
    try:
        with ctx.transaction() as session:
            user = authenticate(session, username, password)
            if user is not None:
                logins.record_login(session, user.username, address, now)
    finally:
        throttle.release(*keys, succeeded=user is not None)
    if user is None:
        data = SessionData.fresh(int(time.time()))
        return ctx.page(
            "login.html", None, status=401, session=data, next=_safe_next(next),
            error="用户名或密码错误。",
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    ctx.set_cookie(response, SessionData.fresh(int(time.time()), user.username))
    return response


def client_of(request: Request) -> str:
    """The client's address, through the trusted proxies of ``[web] trusted_proxies``."""
    peer = request.client.host if request.client else ""
    trusted = trusted_networks(app_state(request).settings.web.trusted_proxies)
    return client_address(peer, request.headers.get("x-forwarded-for"), trusted)


@router.get("/logout")
def logout_form(request: Request) -> Response:
    """Logging out changes state, so it is a POST; this page offers the button."""
    ctx = app_state(request)
    data = ctx.read_session(request)
    if data is None:
        return RedirectResponse("/login", status_code=303)
    return ctx.page("logout.html", None, session=data)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[SessionData, Depends(checked_csrf)]) -> Response:
    ctx = app_state(request)
    if csrf.username:  # the cookie stays valid nowhere: a copy of it is refused too
        expires = datetime.fromtimestamp(csrf.issued + ctx.signer.max_age_s + 60)
        with ctx.transaction() as session:
            logins.revoke(session, csrf.nonce, expires, datetime.now())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie("xw_session", path="/")
    return response
