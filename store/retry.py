"""One unit of work in a transaction, retried when the database is momentarily locked.

SQLite lets one writer at a time: the busy timeout covers most waits, but a writer can
still get "database is locked" (a read transaction upgraded to a write, a checkpoint),
and PostgreSQL can abort a transaction on a deadlock or a serialization conflict. The
whole unit is retried from the start, so nothing half-written is kept and nothing lost.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import StoreError

T = TypeVar("T")
log = logging.getLogger("xunwang.store")

_TRANSIENT = (
    "database is locked",
    "database table is locked",
    "database is busy",
    "deadlock detected",
    "could not serialize access",
)


def _log_retry(attempt: int, delay: float, error: OperationalError) -> None:
    # The record scheduler.logs.log_event makes (the store sits below the scheduler).
    fields = {"event": "db_retry", "attempt": attempt, "delay_s": round(delay, 3),
              "error": str(error.orig)}
    log.info("db_retry", extra={"xw_fields": fields})


def is_transient(error: OperationalError) -> bool:
    text = str(error.orig).lower()
    return any(marker in text for marker in _TRANSIENT)


def in_transaction(
    factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    attempts: int = 10,
    first_delay_s: float = 0.02,
) -> T:
    """Run ``work(session)`` in one transaction; retry it whole on a transient lock."""
    for attempt in range(1, attempts + 1):
        try:
            with factory.begin() as session:
                return work(session)
        except OperationalError as error:
            if not is_transient(error) or attempt == attempts:
                first = str(error.orig).splitlines()[0]
                raise StoreError(f"database error after {attempt} attempt(s): {first}") from error
            delay = first_delay_s * (2 ** (attempt - 1)) * (0.5 + random.random())
            _log_retry(attempt, delay, error)
            time.sleep(min(delay, 2.0))
    raise AssertionError("unreachable")
