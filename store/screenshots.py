"""Screenshot rows: add them, find an item's newest, and what retention removes."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from store.models import Item, ItemEvent, Run, Screenshot


@dataclass(frozen=True)
class ShotRow:
    """A stored screenshot as plain data (paths relative to the screenshot folder)."""

    id: int
    run_id: int
    fingerprint: str
    rule: str
    url: str
    path: str
    thumb: str
    taken_at: datetime
    outlined: bool
    covered: int
    marks: dict[str, Any]


def _row(shot: Screenshot) -> ShotRow:
    return ShotRow(shot.id, shot.run_id, shot.fingerprint, shot.rule, shot.url, shot.path,
                   shot.thumb, shot.taken_at, shot.outlined, shot.covered, dict(shot.marks or {}))


def add_screenshot(session: Session, *, run_id: int, fingerprint: str, rule: str, url: str,
                   path: str, thumb: str, taken_at: datetime, outlined: bool, covered: int,
                   marks: dict[str, Any]) -> int:
    shot = Screenshot(run_id=run_id, fingerprint=fingerprint, rule=rule, url=url, path=path,
                      thumb=thumb, taken_at=taken_at, outlined=outlined, covered=covered,
                      marks=marks)
    session.add(shot)
    session.flush()
    return shot.id


def with_screenshot(session: Session, fingerprints: Collection[str]) -> set[str]:
    """The fingerprints among ``fingerprints`` that already have a screenshot."""
    found: set[str] = set()
    values = list(fingerprints)
    for start in range(0, len(values), 500):
        found.update(session.scalars(
            select(Screenshot.fingerprint).where(
                Screenshot.fingerprint.in_(values[start:start + 500])).distinct()))
    return found


def reopened_in_run(session: Session, run_id: int) -> set[str]:
    """Fingerprints of items the patrol sent back or found regressed since run ``run_id``
    started: the problem is still there after a fix was reported, so a new picture says so."""
    started = select(Run.started_at).where(Run.id == run_id).scalar_subquery()
    return set(session.scalars(
        select(Item.fingerprint).join(ItemEvent, ItemEvent.item_id == Item.id).where(
            ItemEvent.action.in_(("sent_back", "regressed")), ItemEvent.actor == "patrol",
            ItemEvent.at >= started).distinct()))


def newest(session: Session, fingerprint: str) -> ShotRow | None:
    shot = session.scalars(
        select(Screenshot).where(Screenshot.fingerprint == fingerprint)
        .order_by(Screenshot.taken_at.desc(), Screenshot.id.desc()).limit(1)
    ).first()
    return _row(shot) if shot else None


def newest_by_fingerprint(session: Session, fingerprints: Iterable[str]) -> dict[str, ShotRow]:
    """The newest screenshot of each fingerprint that has one (for exports and digests)."""
    values = list(dict.fromkeys(fingerprints))
    out: dict[str, ShotRow] = {}
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        latest = (select(Screenshot.fingerprint, func.max(Screenshot.id).label("id"))
                  .where(Screenshot.fingerprint.in_(chunk)).group_by(Screenshot.fingerprint)
                  .subquery())
        for shot in session.scalars(select(Screenshot).join(latest, Screenshot.id == latest.c.id)):
            out[shot.fingerprint] = _row(shot)
    return out


def newest_for_items(session: Session, item_ids: Iterable[int]) -> dict[int, ShotRow]:
    """The newest screenshot of each item that has one (the caller checked visibility)."""
    ids = list(dict.fromkeys(item_ids))
    pairs: dict[str, list[int]] = {}
    for start in range(0, len(ids), 500):
        for item_id, print_ in session.execute(
            select(Item.id, Item.fingerprint).where(Item.id.in_(ids[start:start + 500]))):
            pairs.setdefault(print_, []).append(item_id)
    shots = newest_by_fingerprint(session, pairs)
    return {item_id: shot for print_, shot in shots.items() for item_id in pairs[print_]}


def items_with_screenshots(session: Session, limit: int = 5) -> tuple[int, list[int]]:
    """How many items have a screenshot, and the ids of the first ``limit`` of them."""
    query = (select(Item.id).where(Item.fingerprint.in_(select(Screenshot.fingerprint)))
             .order_by(Item.id))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return int(total), list(session.scalars(query.limit(limit)))


def taken_before(session: Session, cutoff: datetime) -> list[ShotRow]:
    return [_row(s) for s in session.scalars(
        select(Screenshot).where(Screenshot.taken_at < cutoff).order_by(Screenshot.id))]


def delete_rows(session: Session, ids: Collection[int]) -> int:
    values = list(ids)
    deleted = 0
    for start in range(0, len(values), 500):
        result = session.execute(
            delete(Screenshot).where(Screenshot.id.in_(values[start:start + 500]))
            .execution_options(synchronize_session=False))
        deleted += int(getattr(result, "rowcount", 0))
    return deleted
