"""Read side of items: filtered, sorted, paged lists, one item's detail, filter facets.

The queries are ``store.items``; this module decides what an actor may see and turns
rows into frozen views.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from rectification.actor import Actor, ItemNotFound
from rectification.states import ACTIVE_STATES
from rectification.views import (
    DUE_SOON_DAYS,
    ItemDetail,
    ItemPage,
    ItemView,
    event_view,
    item_view,
)
from store import items
from store.items import SORTS, ItemFilter, Units
from store.models import Item

__all__ = ["MAX_PAGE_SIZE", "SORTS", "ItemFilter", "all_items", "facets", "get_item",
           "list_items", "load_item", "related_items", "visible_units"]

MAX_PAGE_SIZE = 1000
RELATED_LIMIT = 50


def visible_units(actor: Actor) -> Units:
    """The units whose items the actor may see; None for every unit."""
    if actor.is_admin:
        return None
    if actor.role != "unit" or not actor.unit:
        return frozenset()
    return frozenset({actor.unit})


def list_items(
    session: Session, flt: ItemFilter, actor: Actor, as_of: date,
    *, due_soon_days: int = DUE_SOON_DAYS,
) -> ItemPage:
    """One page of the items the actor may see; a unit actor only sees its unit's items."""
    page_size = min(max(1, flt.page_size), MAX_PAGE_SIZE)
    page = max(1, flt.page)
    total, rows = items.page_of_items(session, flt, visible_units(actor), as_of, ACTIVE_STATES,
                                      page=page, page_size=page_size)
    views = tuple(item_view(row, as_of, due_soon_days) for row in rows)
    return ItemPage(items=views, total=total, page=page, page_size=page_size)


def all_items(
    session: Session, flt: ItemFilter, actor: Actor, as_of: date,
    *, due_soon_days: int = DUE_SOON_DAYS,
) -> list[ItemView]:
    """Every matching item, sorted, without paging (for export and digests)."""
    rows = items.matching_items(session, flt, visible_units(actor), as_of, ACTIVE_STATES)
    return [item_view(row, as_of, due_soon_days) for row in rows]


def load_item(session: Session, item_id: int, actor: Actor) -> Item:
    """The ORM item if the actor may see it, else ItemNotFound (same error either way)."""
    item = items.item_by_id(session, item_id)
    if item is None or not actor.can_see(item):
        raise ItemNotFound(f"问题 {item_id} 不存在或无权查看")
    return item


def related_items(session: Session, item: Item, as_of: date) -> tuple[ItemView, ...]:
    """举一反三: the same rule and text (or link target) elsewhere in the same unit."""
    return tuple(item_view(row, as_of) for row in items.related_items(session, item,
                                                                      RELATED_LIMIT))


def get_item(session: Session, item_id: int, actor: Actor, as_of: date) -> ItemDetail:
    """An item with its audit trail and related items; ItemNotFound for another unit's."""
    item = load_item(session, item_id, actor)
    return ItemDetail(
        item=item_view(item, as_of),
        events=tuple(event_view(e) for e in items.events_of(session, item.id)),
        related=related_items(session, item, as_of),
    )


def closings(session: Session, views: Sequence[ItemView]) -> dict[int, tuple[str, str]]:
    """How each closed item of ``views`` was closed: (action, note) of its closing event."""
    return items.closing_events(session, [v.id for v in views if v.state == "closed"])


def facets(session: Session, actor: Actor) -> dict[str, list[str]]:
    """Distinct sites, accounts, units and rules among visible items, for filter dropdowns."""
    return items.facet_values(session, visible_units(actor))
