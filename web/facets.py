"""Filter dropdown values, cached briefly: DISTINCT over every item is the list's dearest query.

The values only change when a patrol adds items or the office reassigns one, so a
dropdown a minute out of date costs nothing; the configured sites, accounts and units
are always offered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from core.settings import Settings
from rectification.actor import Actor
from rectification.queries import facets

Facets = dict[str, list[str]]


class FacetCache:
    def __init__(self, settings: Settings, ttl_s: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._configured = {
            "sites": [s.name for s in settings.sites],
            "accounts": [a.name for a in settings.accounts],
            "units": [u.name for u in settings.units],
        }
        self._ttl_s = ttl_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, str], tuple[float, Facets]] = {}

    def get(self, session: Session, actor: Actor) -> Facets:
        key = (actor.role, actor.unit)
        now = self._monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry and entry[0] > now:
            return entry[1]
        found = facets(session, actor)
        if actor.is_admin:
            for name, values in self._configured.items():
                found[name] = sorted(set(found.get(name, [])) | set(values))
        with self._lock:
            self._entries[key] = (now + self._ttl_s, found)
        return found
