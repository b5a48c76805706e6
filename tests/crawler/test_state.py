"""Crawl state in one process and shared through Redis: the same answers for the limits."""

from __future__ import annotations

import os
import uuid

import pytest

from crawler.state import LocalState, RedisState, cleanup

REDIS_URL = "redis://127.0.0.1:6379/14"


def _states() -> list[object]:
    return ["local", pytest.param("redis", marks=pytest.mark.redis)]


@pytest.fixture(params=_states())
def state(request: pytest.FixtureRequest) -> object:
    if request.param == "local":
        return LocalState()
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis on 127.0.0.1:6379 is required in CI")
        pytest.skip("Redis on 127.0.0.1:6379 is not running")
    run_id = uuid.uuid4().int % 10**9
    request.addfinalizer(lambda: cleanup(client, run_id))
    return RedisState(client, run_id)


def test_state_column_pages_are_counted_per_first_page(state: LocalState) -> None:
    assert [state.count_column("http://a.cn/news/") for _ in range(3)] == [1, 2, 3]
    assert state.count_column("http://a.cn/tzgg/") == 1


def test_state_seen_does_not_take_the_url(state: LocalState) -> None:
    assert not state.seen("http://a.cn/x.html")
    assert state.first_time("http://a.cn/x.html")
    assert state.seen("http://a.cn/x.html") and not state.first_time("http://a.cn/x.html")
