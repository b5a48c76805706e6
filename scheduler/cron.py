"""Five-field cron strings with crontab meaning, and per-target offsets that spread a patrol.

APScheduler 3 reads a numeric day of week with 0 = Monday, while crontab (and every
operator) means 0 = Sunday; ``cron_trigger`` translates numeric days to names so
``"0 8 * * 1-5"`` runs Monday to Friday as written.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, tzinfo
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

from core.errors import ConfigError

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _days(token: str) -> list[int]:
    base, _, step_text = token.partition("/")
    step = int(step_text) if step_text else 1
    if base == "*":
        first, last = 0, 6
    elif "-" in base:
        first_text, last_text = base.split("-", 1)
        first, last = int(first_text), int(last_text)
    else:
        first = int(base)
        last = 6 if step_text else first
    if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last and step >= 1):
        raise ValueError(f"bad day of week {token!r}")
    return [day % 7 for day in range(first, last + 1, step)]


def crontab_day_of_week(field: str) -> str:
    """A crontab day-of-week field (0 or 7 = Sunday) as APScheduler day names."""
    if field == "*" or any(ch.isalpha() for ch in field):
        return field
    days = sorted({day for token in field.split(",") for day in _days(token)})
    if len(days) == 7:
        return "*"
    return ",".join(_DAY_NAMES[day] for day in days)


def cron_trigger(expr: str, timezone: tzinfo | str, *, key: str = "cron") -> CronTrigger:
    """A CronTrigger for a five-field crontab string; a bad string is a ConfigError."""
    fields = expr.split()
    try:
        if len(fields) != 5:
            raise ValueError(f"expected five fields, got {len(fields)}")
        minute, hour, day, month, dow = fields
        return CronTrigger(
            minute=minute, hour=hour, day=day, month=month,
            day_of_week=crontab_day_of_week(dow), timezone=timezone,
        )
    except ValueError as error:
        raise ConfigError(f"schedule.{key}: {expr!r} is not a valid cron string: {error}") from None


def spread_offset(key: str, spread_minutes: int) -> timedelta:
    """A stable offset in [0, spread) for ``key``: the same site always patrols at the same time."""
    if spread_minutes <= 0:
        return timedelta(0)
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return timedelta(seconds=int.from_bytes(digest[:8], "big") % (spread_minutes * 60))


class OffsetTrigger(BaseTrigger):  # type: ignore[misc]
    """Fires ``offset`` after each fire time of ``base``; picklable for the job store."""

    def __init__(self, base: BaseTrigger, offset: timedelta) -> None:
        self.base = base
        self.offset = offset

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        previous = previous_fire_time - self.offset if previous_fire_time else None
        fire = self.base.get_next_fire_time(previous, now - self.offset)
        return fire + self.offset if fire else None

    def __getstate__(self) -> dict[str, Any]:
        return {"base": self.base, "offset": self.offset}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.base = state["base"]
        self.offset = state["offset"]

    def __str__(self) -> str:
        return f"{self.base} +{int(self.offset.total_seconds())}s"

    def __repr__(self) -> str:
        return f"<OffsetTrigger ({self.base!r}, offset={self.offset!r})>"
