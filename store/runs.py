"""Patrol runs: start, heartbeat, finish, what a run reached, and runs whose process is gone.

A run row is written before the crawl starts, with the pid and host of the patrol process,
and the patrol beats (``beat``) every ``HEARTBEAT_S`` while it works. A ``running`` row
whose process is gone is marked ``interrupted`` by ``mark_interrupted``, which every
command, job and page that reads runs calls first: on this host a pid that is not alive
says so at once; a row of another host (whose pids we cannot see), or one without a pid,
is gone when it has not beaten for ``STALE_AFTER``. Functions take a Session and never
commit; the caller's edge does.
"""

from __future__ import annotations

import os
import socket
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from checks.links import verdict
from checks.model import masked
from store.models import AccountRun, Letter, Page, Post, Run, Target

RUNNING, COMPLETE, PARTIAL, FAILED, INTERRUPTED = (
    "running", "complete", "partial", "failed", "interrupted")
HEARTBEAT_S = 60.0
# Far above HEARTBEAT_S: a beat delayed by a busy database must not read as a death.
STALE_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class Process:
    """The process that runs a patrol, as ``runs.pid`` and ``runs.host`` record it."""

    pid: int
    host: str


def this_process() -> Process:
    return Process(os.getpid(), socket.gethostname())


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` is a live process on this host (a zombie has ended its work)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return True  # no /proc (not Linux): kill(0) is all we know
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def start_run(session: Session, *, kind: str, as_of: date, now: datetime,
              targets: list[str], process: Process) -> int:
    """A new ``running`` run of ``process``; returns its id."""
    run = Run(kind=kind, as_of=as_of, started_at=now, status=RUNNING, targets=targets,
              stats={}, pid=process.pid, host=process.host, heartbeat_at=now)
    session.add(run)
    session.flush()
    return run.id


def beat(session: Session, run_id: int, now: datetime) -> None:
    """The run's process is alive at ``now``."""
    session.execute(update(Run).where(Run.id == run_id, Run.status == RUNNING)
                    .values(heartbeat_at=now))


def finish_run(session: Session, run_id: int, *, status: str, reason: str, now: datetime,
               stats: dict[str, Any]) -> None:
    """The run's outcome; it wins over an ``interrupted`` mark made while it still worked."""
    session.execute(update(Run).where(Run.id == run_id).values(
        status=status, reason=masked(reason), finished_at=now, stats=stats))


def _gone_reason(run: Run, now: datetime, here: Process,
                 alive: Callable[[int], bool]) -> str | None:
    """Why ``run``'s process is gone, or None while it may still be working."""
    who = f"{run.pid}（{run.host}）" if run.pid else "（未记录）"
    if run.pid and run.host == here.host and not alive(run.pid):
        return f"巡查进程 {who} 已不在运行（被终止或崩溃），结果不完整"
    last = run.heartbeat_at or run.started_at
    if last < now - STALE_AFTER:
        return (f"巡查进程 {who} 自 {last:%Y-%m-%d %H:%M} 起没有心跳"
                "（被终止或崩溃），结果不完整")
    return None


def mark_interrupted(session: Session, now: datetime, *, here: Process | None = None,
                     alive: Callable[[int], bool] = pid_alive) -> list[int]:
    """Mark every ``running`` run whose process is gone ``interrupted``; returns their ids.

    ``now`` is the store's wall time, the clock the patrols beat with.
    """
    here = here or this_process()
    marked = []
    for run in list(session.scalars(select(Run).where(Run.status == RUNNING).order_by(Run.id))):
        reason = _gone_reason(run, now, here, alive)
        if reason is None:
            continue
        # Guarded by status: a run that finished meanwhile keeps its outcome.
        result = session.execute(
            update(Run).where(Run.id == run.id, Run.status == RUNNING)
            .values(status=INTERRUPTED, reason=reason, finished_at=now)
            .execution_options(synchronize_session=False))
        if getattr(result, "rowcount", 0):
            marked.append(run.id)
            session.expire(run)
    return marked


def reached_sites(session: Session, run_id: int) -> set[str]:
    """Sites of which the run checked at least one target (its homepage, first)."""
    return set(session.scalars(select(Target.site).where(Target.run_id == run_id).distinct()))


def fetched_urls(session: Session, run_id: int) -> set[str]:
    """Every URL the run fetched: checked targets and stored pages."""
    # a target that was refused before any request was sent (attempts 0) was not re-checked
    fetched = {url for url, failure, in_scope in session.execute(
        select(Target.url, Target.failure, Target.in_scope)
        .where(Target.run_id == run_id, Target.attempts > 0))
        if verdict(failure, in_scope) != "skipped"}
    fetched |= set(session.scalars(select(Page.url).where(Page.run_id == run_id)))
    return fetched


def run_stats(session: Session, run_id: int, site_names: Sequence[str],
              account_names: Sequence[str]) -> dict[str, Any]:
    """Per site: pages, attachments, checked targets and failing ones; per account, posts."""
    per_site: dict[str, Any] = {}
    for name in site_names:
        pages = dict(session.execute(
            select(Page.kind, func.count()).where(Page.run_id == run_id, Page.site == name)
            .group_by(Page.kind)).tuples().all())
        verdicts: Counter[str] = Counter()
        for failure, in_scope, count in session.execute(
                select(Target.failure, Target.in_scope, func.count())
                .where(Target.run_id == run_id, Target.site == name)
                .group_by(Target.failure, Target.in_scope)).tuples():
            verdicts[verdict(failure, in_scope)] += count
        homepage = session.scalar(select(func.count()).select_from(Page).where(
            Page.run_id == run_id, Page.site == name, Page.is_homepage, Page.status == 200))
        per_site[name] = {"pages": pages.get("page", 0), "attachments": pages.get("attachment", 0),
                          "targets": sum(verdicts.values()), "verdicts": dict(verdicts),
                          "homepage": bool(homepage)}
    per_account: dict[str, Any] = {}
    for name in account_names:
        row = session.execute(select(AccountRun.status, AccountRun.error).where(
            AccountRun.run_id == run_id, AccountRun.account == name)).first()
        posts = session.scalar(select(func.count()).select_from(Post).where(
            Post.run_id == run_id, Post.account == name))
        per_account[name] = {"status": row[0] if row else "unreachable",
                             "error": (row[1] or "") if row else "", "posts": posts or 0}
    return {"sites": per_site, "accounts": per_account}


def recent_runs(session: Session, limit: int, *, kind: str | None = None) -> list[Run]:
    """The newest runs first (of one ``kind`` when given)."""
    stmt = select(Run).order_by(Run.id.desc()).limit(limit)
    if kind is not None:
        stmt = stmt.where(Run.kind == kind)
    return list(session.scalars(stmt))


def runs_with_status(session: Session, statuses: Sequence[str], *, after: date, until: date,
                     limit: int) -> list[Run]:
    """Runs in ``statuses`` whose day is in (after, until], newest start first."""
    return list(session.scalars(
        select(Run).where(Run.status.in_(tuple(statuses)), Run.as_of > after, Run.as_of <= until)
        .order_by(Run.started_at.desc()).limit(limit)))


def interrupted_since(session: Session, since: datetime, limit: int = 20) -> list[Run]:
    """Runs started since ``since`` that their process left unfinished, newest first."""
    return list(session.scalars(
        select(Run).where(Run.status == INTERRUPTED, Run.started_at >= since)
        .order_by(Run.started_at.desc(), Run.id.desc()).limit(limit)))


def last_complete_run(session: Session, site: str) -> int | None:
    """The newest run that crawled ``site`` to completion."""
    return session.scalar(
        select(Run.id).join(Page, Page.run_id == Run.id)
        .where(Run.status == COMPLETE, Page.site == site)
        .order_by(Run.id.desc()).limit(1))


def read_urls(session: Session, run_id: int) -> set[str]:
    """Posts and letters this run read: the locations of their findings, though not pages."""
    urls = set(session.scalars(select(Post.url).where(Post.run_id == run_id)))
    urls |= set(session.scalars(select(Letter.url).where(Letter.run_id == run_id)))
    return urls
