"""The FastAPI app factory: one ``create_app(settings)``, nothing built at import time."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import StoreError
from core.settings import Settings
from rectification.actor import InvalidTransition, ItemNotFound, PermissionDenied
from store.session import make_engine, make_sessionmaker
from web import actions, admin, check, console, items, login, overview, screenshots, yearbook
from web.app_state import AppState, LoginRequired
from web.auth import CookieSigner
from web.throttle import LoginThrottle

HERE = Path(__file__).parent
log = logging.getLogger(__name__)


def _default_clock(settings: Settings) -> Callable[[], datetime]:
    zone = ZoneInfo(settings.schedule.timezone)
    # Stored datetimes are naive local time of the office.
    return lambda: datetime.now(zone).replace(tzinfo=None)


def _secret(settings: Settings) -> bytes:
    key = settings.web.secret_key.get_secret_value()
    if key:
        return key.encode()
    log.warning("web.secret_key is not set: sessions will not survive a restart")
    return secrets.token_bytes(32)


def create_app(
    settings: Settings,
    *,
    session_factory: sessionmaker[Session] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The web list; ``session_factory`` and ``clock`` are injectable for tests."""
    factory = session_factory or make_sessionmaker(make_engine(settings.db.url))
    app = FastAPI(title="巡网 Xunwang", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.web = AppState.build(
        settings=settings, factory=factory, clock=clock or _default_clock(settings),
        signer=CookieSigner(_secret(settings)), templates_dir=HERE / "templates",
    )
    app.state.login_throttle = LoginThrottle()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (login, items, actions, overview, yearbook, console, check, admin, screenshots):
        app.include_router(module.router)
    _add_error_pages(app)
    app.middleware("http")(_security_headers)
    return app


# No page needs JavaScript: forbidding scripts outright backs up the escaping.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'; img-src 'self' data:"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    if request.url.path != "/healthz" and not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _add_error_pages(app: FastAPI) -> None:
    def page(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        ctx: AppState = request.app.state.web
        return HTMLResponse(ctx.render("error.html", status=status, message=message), status)

    @app.exception_handler(LoginRequired)
    def _login(request: Request, _exc: LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "未登录"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(ItemNotFound)
    def _missing(request: Request, _exc: ItemNotFound) -> Response:
        return page(request, 404, "没有这个问题，或您无权查看。")

    @app.exception_handler(PermissionDenied)
    def _denied(request: Request, exc: PermissionDenied) -> Response:
        return page(request, 403, f"无权执行此操作：{exc}")

    @app.exception_handler(InvalidTransition)
    def _conflict(request: Request, exc: InvalidTransition) -> Response:
        return page(request, 409, f"当前状态下不能执行此操作：{exc}")

    @app.exception_handler(StoreError)
    def _store(request: Request, exc: StoreError) -> Response:
        return page(request, 503, f"数据库暂不可用：{exc}")

    @app.exception_handler(StarletteHTTPException)
    def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return page(request, exc.status_code, str(exc.detail))
