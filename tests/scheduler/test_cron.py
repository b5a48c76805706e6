"""Cron strings with crontab meaning, and the spread of patrols over their window."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.errors import ConfigError
from core.settings import load_settings
from scheduler.cron import OffsetTrigger, cron_trigger, crontab_day_of_week, spread_offset
from scheduler.plan import planned_jobs

TZ = ZoneInfo("Asia/Shanghai")


def _fires(trigger: object, start: datetime, count: int) -> list[datetime]:
    out: list[datetime] = []
    previous = None
    now = start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)  # type: ignore[attr-defined]
        out.append(fire)
        previous, now = fire, fire
    return out


def test_cron_every_minute_probe_fires_each_minute() -> None:
    settings = load_settings(None, environ={}, overrides={
        "sites": [{"name": "a", "url": "http://127.0.0.1:9/"}],
        "schedule": {"probe": "* * * * *"},
    })
    probe = next(job for job in planned_jobs(settings) if job.id == "probe")
    fires = _fires(probe.trigger, datetime(2026, 11, 27, 10, 0, 30, tzinfo=TZ), 5)
    assert fires[0] == datetime(2026, 11, 27, 10, 1, tzinfo=TZ)
    assert [b - a for a, b in zip(fires, fires[1:], strict=False)] == [timedelta(minutes=1)] * 4


@pytest.mark.parametrize(("field", "expected"), [
    ("1-5", "mon,tue,wed,thu,fri"),
    ("0", "sun"),
    ("7", "sun"),
    ("0,6", "sun,sat"),
    ("*/2", "sun,tue,thu,sat"),
    ("0-6", "*"),
    ("mon-fri", "mon-fri"),
])
def test_cron_day_of_week_means_what_crontab_means(field: str, expected: str) -> None:
    assert crontab_day_of_week(field) == expected


def test_cron_weekday_digest_skips_the_weekend() -> None:
    trigger = cron_trigger("0 8 * * 1-5", TZ)
    # 2026-11-27 is a Friday: the next run after Friday 09:00 is Monday 08:00
    fire = trigger.get_next_fire_time(None, datetime(2026, 11, 27, 9, 0, tzinfo=TZ))
    assert fire == datetime(2026, 11, 30, 8, 0, tzinfo=TZ)


@pytest.mark.parametrize("expr", ["61 * * * *", "* * * *", "0 2 * * 9", "a b c d e"])
def test_cron_bad_string_is_a_config_error(expr: str) -> None:
    with pytest.raises(ConfigError, match="schedule.patrol"):
        cron_trigger(expr, TZ, key="patrol")


def test_cron_patrols_spread_deterministically_within_the_window() -> None:
    sites = [{"name": f"site{i}", "url": f"http://127.0.0.1:9/{i}"} for i in range(30)]
    settings = load_settings(None, environ={}, overrides={
        "sites": sites, "schedule": {"patrol": "0 2 * * *", "patrol_spread_minutes": 120},
    })
    start = datetime(2026, 11, 28, 1, 0, tzinfo=TZ)
    fires = {job.id: job.trigger.get_next_fire_time(None, start)
             for job in planned_jobs(settings) if job.kind == "patrol"}
    earliest = datetime(2026, 11, 28, 2, 0, tzinfo=TZ)
    assert all(earliest <= f < earliest + timedelta(minutes=120) for f in fires.values())
    assert len({f.replace(second=0) for f in fires.values()}) > 20  # not all at once
    again = {job.id: job.trigger.get_next_fire_time(None, start)
             for job in planned_jobs(settings) if job.kind == "patrol"}
    assert again == fires
    assert spread_offset("x", 0) == timedelta(0)


def test_cron_offset_trigger_survives_pickling_and_steps_daily() -> None:
    trigger = OffsetTrigger(cron_trigger("0 2 * * *", TZ), timedelta(minutes=37))
    copy = pickle.loads(pickle.dumps(trigger))
    assert repr(copy) == repr(trigger)
    fires = _fires(copy, datetime(2026, 11, 27, 2, 30, tzinfo=TZ), 3)
    assert fires == [datetime(2026, 11, 27, 2, 37, tzinfo=TZ),
                     datetime(2026, 11, 28, 2, 37, tzinfo=TZ),
                     datetime(2026, 11, 29, 2, 37, tzinfo=TZ)]


def test_cron_every_schedule_string_is_checked_even_without_sites() -> None:
    settings = load_settings(None, environ={}, overrides={"schedule": {"probe": "61 * * * *"}})
    with pytest.raises(ConfigError, match="schedule.probe: '61 \\* \\* \\* \\*' is not a valid"):
        planned_jobs(settings)
