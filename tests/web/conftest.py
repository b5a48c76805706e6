"""Fixtures of the web tests: a seeded database, users, the app, a logged-in client."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy.orm import Session

from core.settings import Settings, load_settings
from store.models import Item, ItemEvent
from store.session import make_engine, make_sessionmaker
from web.app import create_app
from web.users import add_user

NOW = datetime(2026, 11, 27, 10, 0)
AS_OF = NOW.date()
PASSWORD = "correct-horse-1"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
# The ID number the privacy finding was about; only its masked form is ever stored.
FULL_ID = "110101199003071234"
MASKED_ID = "110101********1234"


@dataclass(frozen=True)
class Seeded:
    typo: int
    link: int
    privacy: int
    xss: int
    closed: int


def add_item(session: Session, n: int, **values: Any) -> int:
    defaults: dict[str, Any] = dict(
        fingerprint=f"fp-{n}", rule="wording-typo", severity="deduct", site="示范区政府网",
        url=f"http://127.0.0.1/page{n}.html", message="错别字", evidence={}, state="open",
        unit="财政局", deadline=date(2026, 12, 10), first_seen=date(2026, 11, 1),
        last_seen=date(2026, 11, 26), updated_at=NOW,
    )
    item = Item(**{**defaults, **values})
    session.add(item)
    session.flush()
    session.add(ItemEvent(item_id=item.id, at=datetime(2026, 11, 1, 2, 0), actor="patrol",
                          action="detected", from_state="", to_state=item.state))
    return item.id


def seed(session: Session) -> Seeded:
    typo = add_item(
        session, 1, text="按装", suggestion="安装", message="错别字「按装」应为「安装」",
        deadline=date(2026, 11, 20),
        evidence={"before": "请各单位尽快", "match": "按装", "after": "消防设备", "published": "2026-10-01"},
    )
    link = add_item(
        session, 2, rule="link-broken", unit="教育局", message="链接不可用（404）",
        target="http://127.0.0.1/files/plan.pdf",
        evidence={"status": 404, "failure": "404", "attempts": 2, "in_scope": True,
                  "source_count": 1, "on_homepage": False,
                  "sources": [{"page": "http://127.0.0.1/a.html", "tag": "a", "anchor": "实施方案"}]},
    )
    privacy = add_item(
        session, 3, rule="privacy-id-number", severity="veto", text=MASKED_ID,
        message=f"页面公开了身份证号 {MASKED_ID}", deadline=date(2026, 11, 30),
        evidence={"context": f"申请人张三，身份证号 {MASKED_ID}，住址……"},
    )
    xss = add_item(
        session, 4, text=XSS_SCRIPT, url=f"http://127.0.0.1/x{XSS_IMG}",
        message=f"错别字 {XSS_SCRIPT} {XSS_IMG}", suggestion=XSS_IMG, column=XSS_IMG,
        evidence={"before": XSS_IMG, "match": XSS_SCRIPT, "after": XSS_IMG,
                  "sources": [f"javascript:alert(1)//{XSS_IMG}"]},
    )
    closed = add_item(session, 5, rule="column-stale", unit="教育局", state="closed",
                      column="工作动态", message="栏目「工作动态」超过 14 天未更新")
    return Seeded(typo, link, privacy, xss, closed)


def make_settings(db_url: str) -> Settings:
    return load_settings(None, environ={}, overrides={
        "db": {"url": db_url},
        "web": {"secret_key": "test-secret-key"},
        "units": [{"name": "财政局"}, {"name": "教育局"}],
    })


@dataclass(frozen=True)
class WebEnv:
    app: FastAPI
    settings: Settings
    ids: Seeded
    factory: Callable[[], Session]


@pytest.fixture
def web_env(sqlite_url: str) -> Iterator[WebEnv]:
    yield from _web_env(sqlite_url)


def _web_env(url: str) -> Iterator[WebEnv]:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        ids = seed(session)
        add_user(session, "office", PASSWORD, "admin", "", NOW)
        add_user(session, "caizheng", PASSWORD, "unit", "财政局", NOW)
        add_user(session, "jiaoyu", PASSWORD, "unit", "教育局", NOW)
    settings = make_settings(url)
    app = create_app(settings, session_factory=factory, clock=lambda: NOW)
    yield WebEnv(app, settings, ids, factory)
    engine.dispose()


@pytest.fixture
def web_env_any(db_url: str) -> Iterator[WebEnv]:
    """The same, on SQLite and on PostgreSQL."""
    yield from _web_env(db_url)


@dataclass(frozen=True)
class Served:
    env: WebEnv
    base_url: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=10)


def _serve(env: WebEnv) -> Iterator[Served]:
    """The app on uvicorn in a thread on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(env.app, host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off", proxy_headers=False)  # as xunwang web/serve
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:  # bounded poll for the server to listen
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield Served(env, f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def served(web_env: WebEnv) -> Iterator[Served]:
    yield from _serve(web_env)


@pytest.fixture
def served_any(web_env_any: WebEnv) -> Iterator[Served]:
    yield from _serve(web_env_any)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


def login(client: httpx.Client, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token of the new session."""
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/items").text)
