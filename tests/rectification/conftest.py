"""Helpers for rectification tests: a session factory on the migrated test database."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store.models import Item
from store.session import make_engine, make_sessionmaker

_SEQ = itertools.count(1)
NOW = datetime(2026, 11, 27, 9, 0)
AS_OF = date(2026, 11, 27)


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def add_item(session: Session, **fields: Any) -> Item:
    """Insert an item with sensible defaults; returns it flushed (with an id)."""
    values: dict[str, Any] = {
        "fingerprint": f"fp-{next(_SEQ)}",
        "rule": "wording-typo", "severity": "deduct", "site": "示例区政府",
        "url": "http://127.0.0.1/a.html", "message": "错别字", "evidence": {},
        "state": "open", "unit": "财政局", "deadline": date(2026, 12, 1),
        "first_seen": date(2026, 11, 20), "last_seen": date(2026, 11, 27), "updated_at": NOW,
    }
    values.update(fields)
    item = Item(**values)
    session.add(item)
    session.flush()
    return item
