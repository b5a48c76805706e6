"""The run lifecycle: a run records its process, beats, and is marked interrupted once gone."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from scheduler.heartbeat import Heartbeat
from store import runs
from store.models import Run
from store.session import make_sessionmaker

T0 = datetime(2026, 11, 27, 2, 0)
HERE = runs.this_process()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


def dead_pid() -> int:
    """A pid that was a process of this host a moment ago and is gone (reaped) now."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _start(factory: sessionmaker[Session], process: runs.Process, at: datetime = T0) -> int:
    with factory.begin() as session:
        return runs.start_run(session, kind="patrol", as_of=at.date(), now=at,
                              targets=["区政府"], process=process)


def _run(factory: sessionmaker[Session], run_id: int) -> Run:
    with factory() as session:
        run = session.get(Run, run_id)
        assert run is not None
        return run


def test_start_run_records_the_process(factory: sessionmaker[Session]) -> None:
    run = _run(factory, _start(factory, HERE))
    assert (run.status, run.pid, run.host, run.heartbeat_at) == ("running", HERE.pid, HERE.host, T0)


def test_run_of_a_dead_pid_on_this_host_is_marked_interrupted(
    factory: sessionmaker[Session],
) -> None:
    gone = _start(factory, runs.Process(dead_pid(), HERE.host))
    alive = _start(factory, HERE)
    with factory.begin() as session:
        marked = runs.mark_interrupted(session, T0 + timedelta(minutes=1))
    assert marked == [gone]
    run = _run(factory, gone)
    assert run.status == "interrupted" and run.finished_at == T0 + timedelta(minutes=1)
    assert "已不在运行" in run.reason and str(run.pid) in run.reason
    assert _run(factory, alive).status == "running"


def test_run_of_another_host_is_judged_by_its_heartbeat(factory: sessionmaker[Session]) -> None:
    # Another host's pid means nothing here: only a missing heartbeat shows it is gone.
    elsewhere = _start(factory, runs.Process(dead_pid(), "another-host"))
    with factory.begin() as session:
        assert runs.mark_interrupted(session, T0 + runs.STALE_AFTER / 2) == []
        runs.beat(session, elsewhere, T0 + runs.STALE_AFTER / 2)
    with factory.begin() as session:
        assert runs.mark_interrupted(session, T0 + runs.STALE_AFTER) == []
        assert runs.mark_interrupted(session, T0 + runs.STALE_AFTER * 2) == [elsewhere]
    assert "没有心跳" in _run(factory, elsewhere).reason


def test_a_live_process_that_stopped_beating_is_interrupted(factory: sessionmaker[Session]) -> None:
    """A reused pid looks alive; the silence of the heartbeat still tells."""
    run_id = _start(factory, HERE)
    with factory.begin() as session:
        assert runs.mark_interrupted(session, T0 + runs.STALE_AFTER * 2) == [run_id]


def test_runs_without_a_process_fall_back_to_their_start(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        old = Run(kind="patrol", as_of=T0.date(), started_at=T0, status="running")
        done = Run(kind="patrol", as_of=T0.date(), started_at=T0, status="complete")
        session.add_all([old, done])
        session.flush()
        ids = old.id, done.id
    with factory.begin() as session:
        assert runs.mark_interrupted(session, T0 + timedelta(hours=2)) == [ids[0]]
    assert _run(factory, ids[1]).status == "complete"


def test_finish_wins_over_an_interrupted_mark(factory: sessionmaker[Session]) -> None:
    run_id = _start(factory, runs.Process(dead_pid(), HERE.host))
    with factory.begin() as session:
        runs.mark_interrupted(session, T0)
        runs.finish_run(session, run_id, status="complete", reason="", now=T0, stats={"a": 1})
    run = _run(factory, run_id)
    assert (run.status, run.reason, run.stats) == ("complete", "", {"a": 1})


def test_beat_changes_only_running_runs(factory: sessionmaker[Session]) -> None:
    run_id = _start(factory, HERE)
    with factory.begin() as session:
        runs.beat(session, run_id, T0 + timedelta(minutes=5))
    assert _run(factory, run_id).heartbeat_at == T0 + timedelta(minutes=5)
    with factory.begin() as session:
        runs.finish_run(session, run_id, status="partial", reason="r", now=T0, stats={})
        runs.beat(session, run_id, T0 + timedelta(minutes=9))
    assert _run(factory, run_id).heartbeat_at == T0 + timedelta(minutes=5)


def _ticking(after: int) -> tuple[Iterator[datetime], threading.Event]:
    reached = threading.Event()

    def ticks() -> Iterator[datetime]:
        n = 0
        while True:
            n += 1
            if n >= after:
                reached.set()
            yield T0 + timedelta(minutes=n)

    return ticks(), reached


def test_heartbeat_thread_beats_until_stopped(factory: sessionmaker[Session]) -> None:
    run_id = _start(factory, HERE)
    ticks, reached = _ticking(after=3)
    with Heartbeat(factory, run_id, lambda: next(ticks), interval_s=0.001) as heart:
        assert reached.wait(30), "the heartbeat thread never beat three times"
    beats = heart.beats
    assert beats >= 3
    assert _run(factory, run_id).heartbeat_at == T0 + timedelta(minutes=beats)


def test_dead_pid_helper_and_own_pid() -> None:
    assert runs.pid_alive(HERE.pid)
    assert not runs.pid_alive(dead_pid())


def test_listings(factory: sessionmaker[Session]) -> None:
    first = _start(factory, runs.Process(dead_pid(), HERE.host))
    second = _start(factory, HERE, T0 + timedelta(hours=1))
    with factory.begin() as session:
        runs.mark_interrupted(session, T0 + timedelta(hours=1))
    with factory() as session:
        assert [r.id for r in runs.recent_runs(session, 10)] == [second, first]
        assert [r.id for r in runs.interrupted_since(session, T0)] == [first]
        assert runs.interrupted_since(session, T0 + timedelta(minutes=1)) == []
        found = runs.runs_with_status(session, ["interrupted"], after=date(2026, 11, 26),
                                      until=date(2026, 11, 27), limit=5)
        assert [r.id for r in found] == [first]
