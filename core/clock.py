"""The clock of every entry point: aware datetimes in the schedule's timezone, stored as naive wall time.

The store's ``DateTime`` columns hold naive wall-clock time of the configured timezone
(Asia/Shanghai by default), like the crawler's timestamps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ConfigError

Clock = Callable[[], datetime]


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"schedule.timezone: unknown time zone {name!r}, e.g. Asia/Shanghai") from None


def system_clock(timezone: str) -> Clock:
    tz = zone(timezone)
    return lambda: datetime.now(tz)


def wall_time(moment: datetime, timezone: str) -> datetime:
    """``moment`` as naive wall time of ``timezone`` (naive input is taken as such already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone(timezone)).replace(tzinfo=None)


def local_now(timezone: str) -> datetime:
    """Now, as the naive wall time of ``timezone`` that the store keeps (whole seconds)."""
    return datetime.now(zone(timezone)).replace(tzinfo=None, microsecond=0)
