"""Ages and windows measured back from the check time point ``as_of``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def age_days(as_of: date, when: date | None) -> int | None:
    """``as_of`` minus ``when`` in whole days; None when there is no date."""
    return None if when is None else (as_of - when).days


def exceeded(age: int | None, window: int) -> bool:
    """A window of N days is exceeded when the age is greater than N; no date always exceeds."""
    return age is None or age > window


def newest(dates: Iterable[date | None], as_of: date) -> date | None:
    """The newest date not after ``as_of`` (a future date is a typo, not an update)."""
    usable = [d for d in dates if d is not None and d <= as_of]
    return max(usable) if usable else None


def iso(when: date | None) -> str | None:
    return None if when is None else when.isoformat()
