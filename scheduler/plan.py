"""The jobs a configuration asks for: ids, kinds and triggers, in one list.

Job ids are stable and readable, since the job store, ``job_runs`` and ``xunwang status``
all key on them: ``patrol:site:<name>``, ``patrol:account:<name>``, ``probe``,
``digest``, ``retention``. Each site and account patrols at the ``patrol`` cron time
plus a fixed offset within ``patrol_spread_minutes``, so a group is not hit at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from apscheduler.triggers.base import BaseTrigger

from core.settings import Settings
from scheduler.cron import OffsetTrigger, cron_trigger, spread_offset

PROBE, DIGEST, RETENTION, PATROL = "probe", "digest", "retention", "patrol"


@dataclass(frozen=True)
class JobSpec:
    id: str
    kind: str  # patrol | probe | digest | retention
    trigger: BaseTrigger
    site: str | None = None
    account: str | None = None


def patrol_job_id(kind: str, name: str) -> str:
    return f"{PATROL}:{kind}:{name}"


def planned_jobs(settings: Settings) -> list[JobSpec]:
    """Every job of ``settings``, in a stable order; bad cron strings raise ConfigError."""
    schedule = settings.schedule
    tz = schedule.timezone
    patrol = cron_trigger(schedule.patrol, tz, key="patrol")
    jobs: list[JobSpec] = []
    for kind, names in (
        ("site", [s.name for s in settings.sites]),
        ("account", [a.name for a in settings.accounts]),
    ):
        for name in names:
            job_id = patrol_job_id(kind, name)
            offset = spread_offset(job_id, schedule.patrol_spread_minutes)
            jobs.append(JobSpec(
                job_id, PATROL, OffsetTrigger(patrol, offset),
                site=name if kind == "site" else None,
                account=name if kind == "account" else None,
            ))
    probe = cron_trigger(schedule.probe, tz, key="probe")  # checked even with no site yet
    if settings.sites:
        jobs.append(JobSpec(PROBE, PROBE, probe))
    jobs.append(JobSpec(DIGEST, DIGEST, cron_trigger(schedule.digest, tz, key="digest")))
    jobs.append(
        JobSpec(RETENTION, RETENTION, cron_trigger(schedule.retention, tz, key="retention"))
    )
    return jobs
