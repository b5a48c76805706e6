"""Login throttling: five failures lock a user name out; a success clears the count."""

from __future__ import annotations

from tests.web.conftest import PASSWORD, Served, csrf_of
from web.throttle import LoginThrottle


def _try(client, username: str, password: str) -> int:  # type: ignore[no-untyped-def]
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token}, follow_redirects=False).status_code


def test_repeated_failures_lock_the_login_even_with_the_right_password(served: Served) -> None:
    with served.client() as client:
        assert [_try(client, "office", "wrong") for _ in range(5)] == [401] * 5
        assert _try(client, "office", PASSWORD) == 429
        page = client.get("/login")
        assert page.status_code == 200


def test_throttle_window_expires_and_success_resets() -> None:
    now = [0.0]
    throttle = LoginThrottle(limit=3, window_s=60, clock=lambda: now[0])
    for _ in range(3):
        throttle.failed("user:a")
    assert throttle.wait_seconds("user:a") == 61
    assert throttle.wait_seconds("user:b") == 0
    now[0] = 61.0
    assert throttle.wait_seconds("user:a") == 0
    throttle.failed("user:a")
    throttle.succeeded("user:a")
    assert throttle.wait_seconds("user:a") == 0
