"""One scheduler per database: a second ``xunwang serve`` on the same database refuses to start.

Every scheduler process runs every job, so two of them would patrol each site twice.
PostgreSQL holds a session advisory lock for the life of the service; SQLite, a
``flock`` on a file next to the database (both vanish with the process, so a crash never
leaves a stale lock behind).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy import Engine

from core.errors import XunwangError
from store.lock import AdvisoryLock

_ADVISORY_KEY = 0x78756E77616E67  # "xunwang"


class SchedulerLockedError(XunwangError):
    """Another scheduler already serves this database."""


class SchedulerLock:
    """Held from ``acquire()`` to ``release()``; raises SchedulerLockedError if taken."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._advisory: AdvisoryLock | None = None
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        backend = self.engine.url.get_backend_name()
        if backend == "postgresql":
            self._acquire_postgres()
        elif backend == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            self._acquire_file(Path(str(self.engine.url.database)))

    def _acquire_postgres(self) -> None:
        lock = AdvisoryLock(self.engine, _ADVISORY_KEY)
        if not lock.acquire():
            raise SchedulerLockedError(
                "another xunwang serve already runs on this database; run one scheduler per database"
            )
        self._advisory = lock

    def _acquire_file(self, database: Path) -> None:
        handle = database.with_suffix(".serve.lock").open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise SchedulerLockedError(
                f"another xunwang serve (pid {holder}) already runs on {database}; "
                "run one scheduler per database"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._advisory is not None:
            self._advisory.release()
            self._advisory = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
