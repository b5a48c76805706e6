"""Time the web item list with 100,000 items, on SQLite and PostgreSQL.

Run (from the repo root)::

    .venv/bin/python -m bench.item_list [--items 100000] [--requests 50] [--db sqlite,postgresql]

Each database is fresh (a temporary SQLite file; a throwaway PostgreSQL database on
127.0.0.1:5432, dropped afterwards), migrated, filled by bulk insert, then served by
uvicorn on loopback; every scenario is requested a few times to warm up, then timed.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import Engine, create_engine, insert, text

from core.settings import load_settings
from store.migrate import upgrade
from store.models import Item
from store.session import make_engine, make_sessionmaker
from web.app import create_app
from web.users import add_user

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NOW = datetime(2026, 11, 27, 10, 0)
PASSWORD = "bench-password-1"
RULES = ("wording-typo", "link-broken", "column-stale", "privacy-phone", "wording-outdated",
         "column-blank", "homepage-stale", "link-suspect", "interaction-overdue")
SEVERITIES = {"homepage-stale": "veto", "interaction-overdue": "veto", "link-suspect": "warn"}
STATES = ("open",) * 5 + ("closed",) * 3 + ("fixed_pending", "sent_back", "dismissed",
                                             "to_confirm")
UNITS = tuple(f"单位{i:02d}" for i in range(20))
SITES = tuple(f"站点{i:02d}" for i in range(40))
SCENARIOS = {
    "admin, default list": ("office", "/items"),
    "admin, unit+state+overdue filter": ("office", "/items?unit=单位03&state=open&overdue=1"),
    "admin, site+rule filter, page 3": ("office", "/items?site=站点07&rule=link-broken&page=3"),
    "unit user, default list": ("unit03", "/items"),
}


def _rows(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for n in range(count):
        rule = rng.choice(RULES)
        state = rng.choice(STATES)
        first = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
        yield {
            "fingerprint": f"{n:016x}", "rule": rule, "severity": SEVERITIES.get(rule, "deduct"),
            "site": rng.choice(SITES), "account": None,
            "url": f"http://127.0.0.1/{n % 5000}/page{n}.html",
            "target": f"http://127.0.0.1/f/{n}.pdf" if rule.startswith("link") else None,
            "column": None, "text": "按装" if rule.startswith("wording") else None,
            "suggestion": None, "message": f"问题 {n} 的说明，足够长以便像真实数据那样占用空间。",
            "evidence": {"context": "……上下文……", "status": 404}, "state": state,
            "unit": rng.choice(UNITS),
            "deadline": None if state == "to_confirm" else first + timedelta(days=14),
            "first_seen": first, "last_seen": first + timedelta(days=rng.randrange(30)),
            "regressions": 0, "fix_note": "", "updated_at": NOW,
        }


def fill(engine: Engine, count: int) -> float:
    """Bulk-insert ``count`` items and two users; returns seconds taken."""
    started = time.perf_counter()
    factory = make_sessionmaker(engine)
    batch: list[dict[str, Any]] = []
    with factory.begin() as session:
        for row in _rows(count):
            batch.append(row)
            if len(batch) == 5000:
                session.execute(insert(Item), batch)
                batch = []
        if batch:
            session.execute(insert(Item), batch)
        add_user(session, "office", PASSWORD, "admin", "", NOW)
        add_user(session, "unit03", PASSWORD, "unit", "单位03", NOW)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


@contextmanager
def serving(engine: Engine, url: str) -> Iterator[str]:
    settings = load_settings(None, environ={}, overrides={
        "db": {"url": url}, "web": {"secret_key": "bench"}})
    app = create_app(settings, session_factory=make_sessionmaker(engine), clock=lambda: NOW)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def _client(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token})
    if response.status_code != 303:
        raise RuntimeError(f"login failed: {response.status_code}")
    return client


def measure(base: str, requests: int) -> dict[str, tuple[float, float, int]]:
    """Scenario -> (p50 ms, p95 ms, items listed)."""
    out = {}
    for name, (username, path) in SCENARIOS.items():
        client = _client(base, username)
        try:
            for _ in range(3):
                client.get(path).raise_for_status()
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
            total = response.text.split("共 ", 1)[1].split(" 条", 1)[0]
        finally:
            client.close()
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        out[name] = (statistics.median(times), p95, int(total))
    return out


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    name = f"xw_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    for kind in args.db.split(","):
        with database(kind) as url:
            engine = make_engine(url)
            upgrade(engine)
            seconds = fill(engine, args.items)
            print(f"\n{kind}: {args.items} items inserted in {seconds:.1f} s; "
                  f"{args.requests} timed GETs per scenario")
            with serving(engine, url) as base:
                results = measure(base, args.requests)
                load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
                print(f"  (load average during the run: {load}; {os.cpu_count()} CPUs)")
                for name, (p50, p95, total) in results.items():
                    flag = "ok" if p95 <= 100 else "SLOW"
                    print(f"  {name:36s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                          f"({total} matching)  {flag}")
            engine.dispose()


if __name__ == "__main__":
    main()
