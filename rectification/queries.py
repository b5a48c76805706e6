"""Read side of items: filtered, sorted, paged lists, one item's detail, filter facets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from rectification.actor import Actor, ItemNotFound
from rectification.views import (
    ACTIVE_STATES,
    DUE_SOON_DAYS,
    SEVERITY_ORDER,
    ItemDetail,
    ItemPage,
    ItemView,
    event_view,
    item_view,
)
from store.models import Item, ItemEvent

SORTS = ("deadline", "-deadline", "first_seen", "-first_seen", "severity", "rule", "unit", "id")
MAX_PAGE_SIZE = 1000
RELATED_LIMIT = 50


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


def visible(stmt: Select[Any], actor: Actor) -> Select[Any]:
    """Restrict a statement on Item to what the actor may see."""
    if actor.is_admin:
        return stmt
    if actor.role != "unit" or not actor.unit:
        return stmt.where(false())
    return stmt.where(Item.unit == actor.unit)


def _overdue_clause(as_of: date) -> Any:
    return and_(Item.state.in_(ACTIVE_STATES), Item.deadline.is_not(None), Item.deadline < as_of)


def _filtered(
    stmt: Select[Any], flt: ItemFilter, as_of: date, sqlite: bool = True,
) -> Select[Any]:
    for column, value in (
        (Item.site, flt.site), (Item.account, flt.account), (Item.unit, flt.unit),
        (Item.rule, flt.rule), (Item.severity, flt.severity), (Item.state, flt.state),
    ):
        if value is not None and value != "":
            stmt = stmt.where(column == value)
    if flt.overdue is True:
        stmt = stmt.where(_overdue_clause(as_of))
    elif flt.overdue is False:
        stmt = stmt.where(~_overdue_clause(as_of))
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
    severity_rank = case(SEVERITY_ORDER, value=Item.severity, else_=9)
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


def _query(session: Session, flt: ItemFilter, actor: Actor, as_of: date) -> Select[Any]:
    return _filtered(visible(select(Item), actor), flt, as_of, _is_sqlite(session))


def list_items(
    session: Session, flt: ItemFilter, actor: Actor, as_of: date,
    *, due_soon_days: int = DUE_SOON_DAYS,
) -> ItemPage:
    """One page of the items the actor may see; a unit actor only sees its unit's items."""
    page_size = min(max(1, flt.page_size), MAX_PAGE_SIZE)
    page = max(1, flt.page)
    ids_query = _filtered(visible(select(Item.id), actor), flt, as_of, _is_sqlite(session))
    total = session.scalar(select(func.count()).select_from(ids_query.subquery())) or 0
    # Sort and page over ids only, then load the page's rows: sorting whole rows (message,
    # evidence JSON) is what makes deep pages slow on 100,000 items.
    ids = list(session.scalars(
        _ordered(ids_query, flt.sort).limit(page_size).offset((page - 1) * page_size)
    ))
    rows = {row.id: row for row in session.scalars(select(Item).where(Item.id.in_(ids)))}
    items = tuple(item_view(rows[i], as_of, due_soon_days) for i in ids if i in rows)
    return ItemPage(items=items, total=total, page=page, page_size=page_size)


def all_items(
    session: Session, flt: ItemFilter, actor: Actor, as_of: date,
    *, due_soon_days: int = DUE_SOON_DAYS,
) -> list[ItemView]:
    """Every matching item, sorted, without paging (for export and digests)."""
    rows = session.scalars(_ordered(_query(session, flt, actor, as_of), flt.sort))
    return [item_view(row, as_of, due_soon_days) for row in rows]


def load_item(session: Session, item_id: int, actor: Actor) -> Item:
    """The ORM item if the actor may see it, else ItemNotFound (same error either way)."""
    item = session.get(Item, item_id)
    if item is None or not actor.can_see(item):
        raise ItemNotFound(f"问题 {item_id} 不存在或无权查看")
    return item


def related_items(session: Session, item: Item, as_of: date) -> tuple[ItemView, ...]:
    """举一反三: the same rule and text (or link target) elsewhere in the same unit."""
    if item.text:
        same = Item.text == item.text
    elif item.target:
        same = Item.target == item.target
    else:
        return ()
    stmt = (
        select(Item)
        .where(Item.rule == item.rule, same, Item.id != item.id, Item.unit == item.unit)
        .order_by(Item.id)
        .limit(RELATED_LIMIT)
    )
    return tuple(item_view(row, as_of) for row in session.scalars(stmt))


def get_item(session: Session, item_id: int, actor: Actor, as_of: date) -> ItemDetail:
    """An item with its audit trail and related items; ItemNotFound for another unit's."""
    item = load_item(session, item_id, actor)
    events = session.scalars(
        select(ItemEvent).where(ItemEvent.item_id == item.id).order_by(ItemEvent.at, ItemEvent.id)
    )
    return ItemDetail(
        item=item_view(item, as_of),
        events=tuple(event_view(e) for e in events),
        related=related_items(session, item, as_of),
    )


def facets(session: Session, actor: Actor) -> dict[str, list[str]]:
    """Distinct sites, accounts, units and rules among visible items, for filter dropdowns."""
    out: dict[str, list[str]] = {}
    for key, column in (
        ("sites", Item.site), ("accounts", Item.account), ("units", Item.unit),
        ("rules", Item.rule),
    ):
        stmt = visible(select(column).distinct(), actor).where(column.is_not(None))
        out[key] = sorted(v for v in session.scalars(stmt) if v)
    return out
