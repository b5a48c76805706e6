"""A PostgreSQL session advisory lock, held on one connection until released."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text


class AdvisoryLock:
    """``pg_try_advisory_lock(key)`` from ``acquire()`` to ``release()``; gone with the process."""

    def __init__(self, engine: Engine, key: int) -> None:
        self.engine = engine
        self.key = key
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        """Take the lock if nobody holds it; False when another session does."""
        conn = self.engine.connect()
        got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar()
        conn.commit()
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        if self._conn is None:
            return
        # a pooled connection outlives close(): unlock explicitly
        self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        self._conn.commit()
        self._conn.close()
        self._conn = None
