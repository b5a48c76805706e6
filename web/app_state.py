"""Per-app state shared by the routes: settings, sessions, clock, cookie signer, templates."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session, sessionmaker

from checks.model import masked
from core.errors import XunwangError
from core.settings import Settings
from rectification.actor import Actor
from rectification.views import SEVERITY_LABELS, STATE_LABELS
from store import logins
from store.session import transaction
from web.auth import CookieSigner, SessionData
from web.facets import FacetCache
from web.users import UserView, get_user

COOKIE = "xw_session"


class LoginRequired(XunwangError):
    """Raised by a route when nobody is logged in; the app turns it into a redirect."""


@dataclass(frozen=True)
class Viewer:
    """The logged-in person of one request."""

    user: UserView
    session: SessionData

    @property
    def actor(self) -> Actor:
        return Actor(self.user.username, self.user.role, self.user.unit)

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"


@dataclass(frozen=True)
class AppState:
    settings: Settings
    factory: sessionmaker[Session]
    clock: Callable[[], datetime]
    signer: CookieSigner
    env: Environment
    facets: FacetCache

    @staticmethod
    def build(
        *, settings: Settings, factory: sessionmaker[Session], clock: Callable[[], datetime],
        signer: CookieSigner, templates_dir: Path,
    ) -> AppState:
        env = Environment(
            loader=FileSystemLoader(templates_dir), autoescape=True, undefined=StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
        )
        env.globals.update(STATE_LABELS=STATE_LABELS, SEVERITY_LABELS=SEVERITY_LABELS)
        # Only http(s) URLs become links: a crawled "javascript:" URL stays plain text.
        env.tests["http_url"] = _is_http_url
        # Text copied from a crawled site that is not a finding (post titles …) goes through it.
        env.filters["masked"] = masked
        return AppState(settings, factory, clock, signer, env, FacetCache(settings))

    def as_of(self) -> date:
        return self.clock().date()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One request = one transaction, committed when the block ends without error."""
        with transaction(self.factory) as session:
            yield session

    def render(self, name: str, **values: Any) -> str:
        values.setdefault("viewer", None)
        values.setdefault("csrf", "")
        return self.env.get_template(name).render(**values)

    def read_session(self, request: Request) -> SessionData | None:
        return self.signer.load(request.cookies.get(COOKIE), int(time.time()))

    def require_viewer(self, request: Request, session: Session) -> Viewer:
        data = self.read_session(request)
        if data is None or not data.username:
            raise LoginRequired()
        user = get_user(session, data.username)
        if user is None or user.disabled or logins.is_revoked(session, data.nonce):  # logged out
            raise LoginRequired()
        return Viewer(user, data)

    def page(
        self, name: str, viewer: Viewer | None, status: int = 200,
        session: SessionData | None = None, **values: Any,
    ) -> HTMLResponse:
        """A rendered page; ``session`` (when given) is written to the cookie."""
        data = session or (viewer.session if viewer else None)
        csrf = self.signer.csrf_token(data) if data else ""
        body = self.render(name, viewer=viewer, csrf=csrf, as_of=self.as_of(), **values)
        response = HTMLResponse(body, status_code=status)
        if session is not None:
            self.set_cookie(response, session)
        return response

    def set_cookie(self, response: Any, data: SessionData) -> None:
        response.set_cookie(
            COOKIE, self.signer.dump(data), max_age=self.signer.max_age_s, httponly=True,
            samesite="lax", secure=self.settings.web.base_url.startswith("https://"), path="/",
        )


def _is_http_url(value: object) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def app_state(request: Request) -> AppState:
    ctx: AppState = request.app.state.web
    return ctx


def checked_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> SessionData:
    """Dependency of every POST: the session, when the form's CSRF token matches it."""
    ctx = app_state(request)
    data = ctx.read_session(request)
    if data is None or not ctx.signer.check_csrf(data, csrf_token):
        raise HTTPException(403, "表单已失效（CSRF 校验失败），请刷新页面后重试。")
    return data
