"""Rectification items and their audit trail: filtered, sorted, paged reads, and events.

Visibility is a plain argument: ``units`` is the set of responsible units whose items the
reader may see, or None for every unit (the office, the patrol). States come from the
caller too (``rectification.states``): the store knows columns, not the state machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from checks.model import SEVERITY_RANK
from store.models import Item, ItemEvent

SORTS = ("deadline", "-deadline", "first_seen", "-first_seen", "severity", "rule", "unit", "id")
Units = frozenset[str] | None

MAX_ID = 2**63 - 1  # BIGINT / SQLite INTEGER


@dataclass(frozen=True)
class ItemFilter:
    site: str | None = None
    account: str | None = None
    unit: str | None = None
    rule: str | None = None
    severity: str | None = None
    state: str | None = None
    overdue: bool | None = None
    q: str | None = None
    sort: str = "deadline"
    page: int = 1
    page_size: int = 50


def _visible(stmt: Select[Any], units: Units) -> Select[Any]:
    if units is None:
        return stmt
    if not units:
        return stmt.where(false())
    if len(units) == 1:
        return stmt.where(Item.unit == next(iter(units)))
    return stmt.where(Item.unit.in_(sorted(units)))


def _overdue_clause(as_of: date, active: Sequence[str]) -> ColumnElement[bool]:
    return and_(Item.state.in_(tuple(active)), Item.deadline.is_not(None), Item.deadline < as_of)


def _filtered(stmt: Select[Any], flt: ItemFilter, as_of: date, active: Sequence[str],
              sqlite: bool) -> Select[Any]:
    for column, value in (
        (Item.site, flt.site), (Item.account, flt.account), (Item.unit, flt.unit),
        (Item.rule, flt.rule), (Item.severity, flt.severity), (Item.state, flt.state),
    ):
        if value is not None and value != "":
            stmt = stmt.where(column == value)
    if flt.overdue is True:
        stmt = stmt.where(_overdue_clause(as_of, active))
    elif flt.overdue is False:
        stmt = stmt.where(~_overdue_clause(as_of, active))
    if flt.q and flt.q.strip():
        pattern = "%" + flt.q.strip().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        # SQLite's LIKE already ignores ASCII case; its ilike() would add lower() per row.
        stmt = stmt.where(or_(*(
            (col.like if sqlite else col.ilike)(pattern, escape="\\")
            for col in (Item.message, Item.text, Item.url, Item.target, Item.column)
        )))
    return stmt


def _ordered(stmt: Select[Any], sort: str) -> Select[Any]:
    severity_rank = case(dict(SEVERITY_RANK), value=Item.severity, else_=9)
    # Items without a deadline (to confirm, closed) sort after dated ones either way.
    orders: dict[str, tuple[Any, ...]] = {
        "deadline": (Item.deadline.asc().nulls_last(), Item.id.asc()),
        "-deadline": (Item.deadline.desc().nulls_last(), Item.id.desc()),
        "first_seen": (Item.first_seen.asc(), Item.id.asc()),
        "-first_seen": (Item.first_seen.desc(), Item.id.desc()),
        "severity": (severity_rank, Item.deadline.asc().nulls_last(), Item.id.asc()),
        "rule": (Item.rule.asc(), Item.id.asc()),
        "unit": (Item.unit.asc(), Item.id.asc()),
        "id": (Item.id.asc(),),
    }
    return stmt.order_by(*orders.get(sort, orders["deadline"]))


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def page_of_items(session: Session, flt: ItemFilter, units: Units, as_of: date,
                  active: Sequence[str], *, page: int, page_size: int) -> tuple[int, list[Item]]:
    """(how many match, the rows of page ``page``), sorted by ``flt.sort``."""
    ids_query = _filtered(_visible(select(Item.id), units), flt, as_of, active,
                          _is_sqlite(session))
    total = session.scalar(select(func.count()).select_from(ids_query.subquery())) or 0
    # Sort and page over ids only, then load the page's rows: sorting whole rows (message,
    # evidence JSON) is what makes deep pages slow on 100,000 items.
    ids = list(session.scalars(
        _ordered(ids_query, flt.sort).limit(page_size).offset((page - 1) * page_size)
    ))
    rows = {row.id: row for row in session.scalars(select(Item).where(Item.id.in_(ids)))}
    return total, [rows[i] for i in ids if i in rows]


def matching_items(session: Session, flt: ItemFilter, units: Units, as_of: date,
                   active: Sequence[str]) -> list[Item]:
    """Every matching item, sorted, without paging."""
    stmt = _filtered(_visible(select(Item), units), flt, as_of, active, _is_sqlite(session))
    return list(session.scalars(_ordered(stmt, flt.sort)))


def item_by_id(session: Session, item_id: int) -> Item | None:
    if not 0 < item_id <= MAX_ID:  # the database's integers end here: no such item
        return None
    return session.get(Item, item_id)


def related_items(session: Session, item: Item, limit: int) -> list[Item]:
    """The same rule and text (or link target) on other items of the same unit."""
    if item.text:
        same = Item.text == item.text
    elif item.target:
        same = Item.target == item.target
    else:
        return []
    return list(session.scalars(
        select(Item)
        .where(Item.rule == item.rule, same, Item.id != item.id, Item.unit == item.unit)
        .order_by(Item.id)
        .limit(limit)
    ))


def events_of(session: Session, item_id: int) -> list[ItemEvent]:
    """The item's audit trail, oldest first."""
    return list(session.scalars(
        select(ItemEvent).where(ItemEvent.item_id == item_id).order_by(ItemEvent.at, ItemEvent.id)
    ))


def closing_events(session: Session, item_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Per closed item, the action and note of the latest event that closed it."""
    out: dict[int, tuple[str, str]] = {}
    for chunk in range(0, len(item_ids), 500):
        rows = session.execute(
            select(ItemEvent.item_id, ItemEvent.action, ItemEvent.note)
            .where(ItemEvent.item_id.in_(item_ids[chunk:chunk + 500]),
                   ItemEvent.to_state == "closed")
            .order_by(ItemEvent.at, ItemEvent.id)
        )
        for item_id, action, note in rows:
            out[item_id] = (action, note or "")
    return out


def add_event(session: Session, item: Item, *, at: datetime, actor: str, action: str,
              from_state: str, note: str, data: dict[str, Any]) -> None:
    """Append one event; ``from_state`` is the state before, the item's own is after."""
    session.add(ItemEvent(item_id=item.id, at=at, actor=actor, action=action,
                          from_state=from_state, to_state=item.state, note=note, data=data))


def facet_values(session: Session, units: Units) -> dict[str, list[str]]:
    """Distinct sites, accounts, units and rules among visible items."""
    out: dict[str, list[str]] = {}
    for key, column in (
        ("sites", Item.site), ("accounts", Item.account), ("units", Item.unit),
        ("rules", Item.rule),
    ):
        stmt = _visible(select(column).distinct(), units).where(column.is_not(None))
        out[key] = sorted(v for v in session.scalars(stmt) if v)
    return out


def closed_per_unit(session: Session, since: datetime, *, state: str) -> list[tuple[str, int]]:
    """(unit, items in ``state`` closed since ``since``) for every unit that closed any."""
    return list(session.execute(
        select(Item.unit, func.count()).where(Item.state == state, Item.closed_at >= since)
        .group_by(Item.unit)
    ).tuples())


def count_first_seen(session: Session, after: date, until: date) -> int:
    """Items first seen in (after, until]."""
    return session.scalar(select(func.count()).select_from(Item).where(
        Item.first_seen > after, Item.first_seen <= until)) or 0


def count_closed(session: Session, start: datetime, end: datetime) -> int:
    """Items closed in [start, end)."""
    return session.scalar(select(func.count()).select_from(Item).where(
        Item.closed_at >= start, Item.closed_at < end)) or 0


_CHUNK = 500


def items_by_fingerprint(session: Session, fingerprints: Sequence[str]) -> dict[str, Item]:
    """The items with these fingerprints, in chunks the databases' parameter limits allow."""
    found: dict[str, Item] = {}
    for start in range(0, len(fingerprints), _CHUNK):
        chunk = fingerprints[start:start + _CHUNK]
        for item in session.scalars(select(Item).where(Item.fingerprint.in_(chunk))):
            found[item.fingerprint] = item
    return found


def live_items_of(session: Session, sites: Sequence[str], accounts: Sequence[str],
                  states: Sequence[str]) -> list[Item]:
    """Items in ``states`` of these sites and accounts."""
    places = []
    if sites:
        places.append(Item.site.in_(sorted(sites)))
    if accounts:
        places.append(Item.account.in_(sorted(accounts)))
    if not places:
        return []
    return list(session.scalars(select(Item).where(Item.state.in_(states), or_(*places))))


def add_item(session: Session, **columns: Any) -> Item:
    """Insert an item with these columns and give it its id (its first event needs it)."""
    item = Item(**columns)
    session.add(item)
    session.flush()
    return item
