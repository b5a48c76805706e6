"""SQLite locked under concurrent writers: every unit of work retried, none lost."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from core.errors import StoreError
from scheduler import journal
from scheduler.probe import ProbeOutcome
from store.models import JobRun, ProbeResult
from store.probes import add_probes
from store.retry import in_transaction
from store.session import make_engine, make_sessionmaker

WRITES = 150
T0 = datetime(2026, 11, 27, 9, 0)


def _impatient_engine(url: str) -> Any:
    """An engine whose connections give up on a lock at once, so writers do collide."""
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _no_wait(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=0")

    return engine


def _probe(i: int) -> ProbeOutcome:
    return ProbeOutcome("站点", "http://127.0.0.1/", T0 + timedelta(seconds=i), i % 7 != 0,
                        200, None, 5)


def test_retry_concurrent_probe_and_job_writers_lose_nothing(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = _impatient_engine(sqlite_url)
    factory = make_sessionmaker(engine)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def probes() -> None:
        start.wait()
        for i in range(WRITES):
            # read, then write: the pattern that defeats SQLite's busy handler
            def work(session: Session, i: int = i) -> None:
                session.scalar(select(func.count()).select_from(ProbeResult))
                add_probes(session, [_probe(i)])
            in_transaction(factory, work)

    def jobs() -> None:
        start.wait()
        for i in range(WRITES):
            run_id = journal.start_job(factory, "probe", T0 + timedelta(seconds=i))
            journal.finish_job(factory, run_id, "probe", journal.OK, f"n={i}",
                               T0 + timedelta(seconds=i, milliseconds=5))

    def guarded(target: Any) -> None:
        try:
            target()
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    with caplog.at_level(logging.INFO, logger="xunwang.store"):
        threads = [threading.Thread(target=guarded, args=(t,)) for t in (probes, jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert errors == []
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(ProbeResult)) == WRITES
        rows = session.scalars(select(JobRun)).all()
    assert len(rows) == WRITES
    assert {r.status for r in rows} == {journal.OK}
    assert sorted(r.detail for r in rows) == sorted(f"n={i}" for i in range(WRITES))
    retries = [r for r in caplog.records if getattr(r, "xw_fields", {}).get("event") == "db_retry"]
    assert retries, "the writers never collided: the test did not exercise the retry"
    engine.dispose()


def test_retry_gives_up_on_a_persistent_lock_with_a_store_error(sqlite_url: str) -> None:
    engine = _impatient_engine(sqlite_url)
    factory = make_sessionmaker(engine)
    blocker = engine.connect()
    blocker.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked"):
            in_transaction(factory, lambda s: add_probes(s, [_probe(1)]),
                           attempts=3, first_delay_s=0.001)
    finally:
        blocker.rollback()
        blocker.close()
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(ProbeResult)) == 0
    engine.dispose()
