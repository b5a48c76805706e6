"""Issue 13 item 7: login throttle under a burst, lock-out that cannot lock the owner out,
trusted proxies, server-side logout, absurd query values, and /runs per unit."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from core.settings import load_settings
from store import runs
from tests.web.conftest import NOW, PASSWORD, Served, WebEnv, _serve, csrf_of, login
from web.app import create_app

PROXY = "127.0.0.1"  # the test client connects from here: it plays the reverse proxy


def _attempt(client: httpx.Client, username: str, password: str,
             forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    token = csrf_of(client.get("/login", headers=headers).text)
    return client.post("/login", headers=headers, follow_redirects=False, data={
        "username": username, "password": password, "csrf_token": token}).status_code


@pytest.fixture
def hardened(web_env: WebEnv) -> Iterator[Served]:
    """The seeded app with sites owned by units and the loopback proxy trusted."""
    settings = load_settings(None, environ={}, overrides={
        "db": {"url": web_env.settings.db.url},
        "web": {"secret_key": "test-secret-key", "trusted_proxies": [PROXY]},
        "units": [{"name": "财政局"}, {"name": "教育局"}],
        "sites": [{"name": "财政网", "url": "http://127.0.0.1:9/", "unit": "财政局"},
                  {"name": "教育网", "url": "http://127.0.0.1:9/", "unit": "教育局"}],
        "accounts": [{"name": "教育微博", "url": "http://127.0.0.1:9/feed", "unit": "教育局"}],
    })
    app = create_app(settings, session_factory=web_env.factory, clock=lambda: NOW)
    yield from _serve(replace(web_env, app=app, settings=settings))


def test_sixty_parallel_wrong_passwords_evaluate_at_most_five(served: Served) -> None:
    barrier = threading.Barrier(60)
    statuses: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        with served.client() as client:
            token = csrf_of(client.get("/login").text)
            barrier.wait(timeout=30)
            status = client.post("/login", follow_redirects=False, data={
                "username": "office", "password": "wrong", "csrf_token": token}).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=one) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    counts = Counter(statuses)
    assert counts[401] <= 5 and counts[401] + counts[429] == 60, counts


def test_a_locked_name_still_lets_the_owner_in_from_the_usual_address(hardened: Served) -> None:
    with hardened.client() as owner, hardened.client() as attacker, hardened.client() as other:
        assert _attempt(owner, "office", PASSWORD, "10.0.0.5") == 303  # the usual address
        owner.cookies.clear()
        tried = [_attempt(attacker, "office", "guess", f"203.0.113.{i}") for i in range(12)]
        assert tried.count(401) == 5 and tried[5:] == [429] * 7  # the name is locked ...
        assert _attempt(other, "office", PASSWORD, "198.51.100.9") == 429  # ... elsewhere
        assert _attempt(owner, "office", PASSWORD, "10.0.0.5") == 303  # not for its owner


def test_forwarded_for_counts_only_from_a_trusted_proxy(served: Served) -> None:
    # No trusted proxy: X-Forwarded-For is the client's word, so changing it evades nothing.
    with served.client() as client:
        tried = [_attempt(client, f"nobody{i}", "guess", f"203.0.113.{i}") for i in range(7)]
    assert tried == [401] * 5 + [429] * 2


def test_behind_a_trusted_proxy_each_client_has_its_own_address(hardened: Served) -> None:
    with hardened.client() as client:
        tried = [_attempt(client, f"user{i}", "guess", "203.0.113.7") for i in range(6)]
        assert tried == [401] * 5 + [429]
        # another client behind the same proxy is not locked out with the first
        assert _attempt(client, "jiaoyu", PASSWORD, "203.0.113.8") == 303
        # a spoofed entry left of the proxy's own does not help the locked client
        assert _attempt(client, "user9", "guess", "10.9.9.9, 203.0.113.7") == 429


def test_logout_revokes_the_session_on_the_server(served: Served) -> None:
    with served.client() as client:
        token = login(client, "office")
        copied = client.cookies.get("xw_session")
        assert copied
        response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303
    with served.client() as thief:
        thief.cookies.set("xw_session", copied)
        page = thief.get("/items", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert thief.get("/api/items", follow_redirects=False).status_code == 401


@pytest.mark.parametrize("query", [
    "page=9223372036854775807", "page=99999999999999999999999", "page=-5", "page=abc",
    "page_size=9223372036854775807", "page_size=-1", "page=1e9",
])
def test_absurd_page_values_are_not_a_server_error(served: Served, query: str) -> None:
    with served.client() as client:
        login(client, "office")
        for path in ("/items", "/api/items", "/items.csv", "/items.xlsx"):
            response = client.get(f"{path}?{query}")
            assert response.status_code < 500, (path, query, response.status_code)


@pytest.mark.parametrize("path", [
    "/items/9223372036854775808", "/items/-1", "/api/items/99999999999999999999",
])
def test_absurd_item_ids_are_not_found(served: Served, path: str) -> None:
    with served.client() as client:
        login(client, "office")
        assert client.get(path).status_code in (404, 422), path


def test_runs_page_shows_a_unit_user_only_its_own_sites(hardened: Served) -> None:
    here = runs.this_process()
    with hardened.env.factory.begin() as session:  # type: ignore[attr-defined]
        for targets in (["财政网"], ["教育网"], ["教育微博"], ["财政网", "教育网"]):
            run_id = runs.start_run(session, kind="patrol", as_of=NOW.date(), now=NOW,
                                    targets=targets, process=here)
            runs.finish_run(session, run_id, status="complete", reason="", now=NOW, stats={})
    with hardened.client() as client:
        login(client, "jiaoyu")
        html = client.get("/runs").text
        assert "教育网" in html and "教育微博" in html and "财政网" not in html
    with hardened.client() as client:
        login(client, "office")
        html = client.get("/runs").text
        assert "教育网" in html and "财政网" in html
