"""What ``xunwang status`` reports: each job's last and next run, recent failures, and per
site the probes of the last 7 days. Read from the database alone, so it works whether or
not the service is running; next runs come from the job store, else from the schedule.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from core.clock import wall_time, zone
from core.settings import Settings
from reports.alerts import SECURITY_RULES
from scheduler.plan import JobSpec, planned_jobs
from scheduler.probe import probe_summary
from scheduler.service import JOBS_TABLE
from store import digests, journal, runs, security
from store.jobstore import next_run_timestamps
from store.models import JobRun, Run
from store.session import make_sessionmaker, transaction

FAILURE_DAYS = 7


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def stored_next_runs(engine: Engine, timezone: str) -> dict[str, datetime | None]:
    """Next run time (naive wall time) of every job in the job store; paused jobs map to None."""
    tz = zone(timezone)
    return {
        job_id: datetime.fromtimestamp(stamp, tz).replace(tzinfo=None) if stamp is not None
        else None
        for job_id, stamp in next_run_timestamps(engine, JOBS_TABLE).items()
    }


def _next_run(spec: JobSpec, stored: dict[str, datetime | None], now: datetime, tz: str) -> tuple[
    datetime | None, bool
]:
    if spec.id in stored:
        return stored[spec.id], True
    planned = spec.trigger.get_next_fire_time(None, now.replace(tzinfo=zone(tz)))
    return (wall_time(planned, tz) if planned else None), False


def _job_entry(session: Session, spec: JobSpec, nxt: datetime | None, scheduled: bool) -> dict[str, Any]:
    last: JobRun | None = next(iter(journal.last_runs(session, spec.id)), None)
    return {
        "id": spec.id,
        "kind": spec.kind,
        "last_run": _iso(last.started_at) if last else None,
        "last_finished": _iso(last.finished_at) if last else None,
        "last_status": last.status if last else None,
        "last_detail": last.detail if last else None,
        "next_run": _iso(nxt),
        "scheduled": scheduled,
    }


RECENT_RUNS = 200


def _latest_runs(session: Session) -> dict[str, Run]:
    """The newest patrol of each site or account, however it was started (service or CLI)."""
    latest: dict[str, Run] = {}
    for run in runs.recent_runs(session, RECENT_RUNS, kind="patrol"):
        for name in run.targets or ():
            latest.setdefault(str(name), run)
    return latest


def truncated_pages(run: Run | None, site: str) -> int:
    """Pages and attachments of ``site`` that ``run`` did not fetch: its page_limit was reached."""
    if run is None:
        return 0
    return int(((run.stats or {}).get("sites", {}).get(site) or {}).get("truncated", 0) or 0)


def _patrol_fields(job: dict[str, Any], run: Run | None) -> dict[str, Any]:
    """Last patrol from the runs table when no scheduled job has run it yet."""
    if job["last_run"] or run is None:
        return {"last_patrol": job["last_run"], "last_patrol_status": job["last_status"]}
    return {"last_patrol": _iso(run.started_at), "last_patrol_status": run.status}


def _failures(session: Session, since: datetime) -> list[dict[str, Any]]:
    """Failed or partial jobs, and runs their process left unfinished, newest first."""
    failures = [
        {"job": row.job, "started_at": _iso(row.started_at), "status": row.status,
         "detail": row.detail}
        for row in journal.recent_problems(session, since)
    ]
    failures += [
        {"job": f"{run.kind}:run:{run.id}", "started_at": _iso(run.started_at),
         "status": run.status, "detail": f"{'、'.join(map(str, run.targets or ()))}：{run.reason}"}
        for run in runs.interrupted_since(session, since)
    ]
    return sorted(failures, key=lambda f: f["started_at"] or "", reverse=True)


def collect_status(settings: Settings, engine: Engine, now: datetime) -> dict[str, Any]:
    """The status report as plain JSON-ready data; ``now`` is wall time (naive or aware)."""
    tz = settings.schedule.timezone
    now = wall_time(now, tz)
    stored = stored_next_runs(engine, tz)
    days = settings.checks.probe_window_days
    factory = make_sessionmaker(engine)
    with transaction(factory) as session:
        runs.mark_interrupted(session, now)  # a killed patrol shows as failed, not running
        digests.reconcile(session, now, runs.this_process())  # a digest killed mid-send
    with factory() as session:
        jobs = [_job_entry(session, spec, *_next_run(spec, stored, now, tz))
                for spec in planned_jobs(settings)]
        by_id = {job["id"]: job for job in jobs}
        latest = _latest_runs(session)
        today = now.date()
        week = security.incident_counts(session, SECURITY_RULES, today - timedelta(days=6), today)
        year = security.incident_counts(session, SECURITY_RULES, today - timedelta(days=364),
                                        today)
        sites = []
        for site in settings.sites:
            # the window the site-unreachable rule reads for a patrol today
            summary = probe_summary(session, site.name, now.date(), days)
            patrol = by_id[f"patrol:site:{site.name}"]
            sites.append({
                "name": site.name, "url": site.url,
                "probes_7d": summary.probes, "failed_7d": summary.failed,
                "ratio": round(summary.ratio, 4), "failures": summary.by_failure,
                **_patrol_fields(patrol, latest.get(site.name)),
                "next_patrol": patrol["next_run"],
                "truncated": truncated_pages(latest.get(site.name), site.name),
                "incidents_7d": week.get(site.name, 0), "incidents_365d": year.get(site.name, 0),
            })
        accounts = [
            {"name": account.name,
             **_patrol_fields(by_id[f"patrol:account:{account.name}"], latest.get(account.name)),
             "next_patrol": by_id[f"patrol:account:{account.name}"]["next_run"]}
            for account in settings.accounts
        ]
        failures = _failures(session, now - timedelta(days=FAILURE_DAYS))
        running = journal.running_jobs(session)
        since = now.date() - timedelta(days=FAILURE_DAYS)
        mail = {"uncertain": [
            {"key": d.key, "recipient": d.recipient, "message_id": d.message_id,
             "attempted_at": _iso(d.claimed_at), "detail": d.last_error}
            for d in digests.uncertain(session, since)],
            "failed": digests.count_failed(session, since)}
    return {
        "timezone": tz, "now": _iso(now), "service_scheduled": bool(stored),
        "jobs": jobs, "running": sorted(set(running)), "failures": failures,
        "sites": sites, "accounts": accounts, "digests": mail,
    }


def _width(value: str) -> int:
    """Terminal columns of ``value``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def _pad(value: str, width: int) -> str:
    return value + " " * max(width - _width(value), 1)


def format_status(report: dict[str, Any]) -> str:
    """The report as text for a terminal."""
    lines = [f"巡网服务状态  {report['now']}（{report['timezone']}）"]
    if not report["service_scheduled"]:
        lines.append("服务尚未运行过（xunwang serve）：下次运行时间按配置推算。")
    width = max([_width(j["id"]) for j in report["jobs"]] + [10]) + 2
    lines += ["", _pad("任务", width) + _pad("上次运行", 21) + _pad("结果", 9) + "下次运行"]
    for job in report["jobs"]:
        lines.append(
            _pad(job["id"], width) + _pad(job["last_run"] or "-", 21)
            + _pad(job["last_status"] or "-", 9) + (job["next_run"] or "-")
        )
    lines += ["", f"近 {FAILURE_DAYS} 天失败或不完整的任务：{len(report['failures'])}"]
    for fail in report["failures"]:
        lines.append(f"  {fail['started_at']}  {fail['job']}  {fail['status']}  {fail['detail']}")
    mail = report["digests"]
    if mail["uncertain"] or mail["failed"]:
        lines += ["", f"近 {FAILURE_DAYS} 天摘要邮件：发送失败待重试 {mail['failed']} 封，"
                  f"发送结果不明 {len(mail['uncertain'])} 封（未自动重发）"]
        for d in mail["uncertain"]:
            lines.append(f"  发送结果不明  {d['key']}  {d['recipient']}  Message-ID {d['message_id']}"
                         f"  （如确认未收到：xunwang digest --resend {d['key']}）")
    lines += ["", "安全事件（单项否决的安全问题，近 7 天 / 近 365 天）："]
    for site in report["sites"]:
        lines.append(f"  {site['name']}  {site['incidents_7d']} / {site['incidents_365d']}")
    lines += ["", "站点可用性（近 7 天探测）："]
    for site in report["sites"]:
        kinds = " ".join(f"{k}={v}" for k, v in sorted(site["failures"].items()))
        lines.append(
            f"  {site['name']}  探测 {site['probes_7d']}  失败 {site['failed_7d']}"
            f"  {site['ratio']:.1%}  {kinds}".rstrip()
        )
        lines.append(
            f"    上次巡查 {site['last_patrol'] or '-'}（{site['last_patrol_status'] or '-'}）"
            f"  下次巡查 {site['next_patrol'] or '-'}"
        )
        if site.get("truncated"):
            lines.append(f"    上次巡查超过页面上限，结果不完整：另有 {site['truncated']} 个页面或附件未抓取")
    return "\n".join(lines)
