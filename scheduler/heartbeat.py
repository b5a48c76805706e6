"""A patrol's heartbeat: a daemon thread that tells the store its run is still being worked.

Each beat is its own small transaction (the thread is an edge, like a job). A beat that
fails is logged and the next one tried: the run is judged gone only after
``store.runs.STALE_AFTER`` without one, far longer than a busy database delays a write.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from store import runs
from store.session import transaction

log = logging.getLogger("scheduler.patrol")


class Heartbeat:
    """Beats run ``run_id`` every ``interval_s`` from ``__enter__`` to ``__exit__``."""

    def __init__(self, factory: sessionmaker[Session], run_id: int, clock: Callable[[], datetime],
                 interval_s: float = runs.HEARTBEAT_S) -> None:
        self.factory = factory
        self.run_id = run_id
        self.clock = clock
        self.interval_s = interval_s
        self.beats = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"heartbeat-{run_id}",
                                        daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=5.0)  # a beat after the finish changes nothing (store.runs.beat)

    def beat(self) -> None:
        with transaction(self.factory) as session:
            runs.beat(session, self.run_id, self.clock())
        self.beats += 1

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.beat()
            except Exception as error:  # the thread's edge: a missed beat must not end beats
                log.warning("heartbeat of run %s failed: %s", self.run_id, error)
