"""Deadlines in working days on the Chinese calendar (holidays and adjusted working days)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from core.settings import RectificationConfig


def is_workday(day: date) -> bool:
    """Official working day; years the calendar package does not cover fall back to Mon–Fri."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def working_days_for(severity: str, config: RectificationConfig) -> int:
    return {
        "veto": config.deadline_veto_days,
        "deduct": config.deadline_deduct_days,
    }.get(severity, config.deadline_warn_days)


def deadline_for(severity: str, start: date, config: RectificationConfig) -> date:
    """整改时限: veto 3, deduct 10, warn (after confirmation) 10 working days by default."""
    return add_working_days(start, working_days_for(severity, config))
