"""Frozen view models of items for templates, export and JSON: never ORM objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from checks.model import SEVERITY_LABELS, SEVERITY_RANK, place_json
from checks.registry import title as rule_title
from rectification.states import ACTIVE_STATES, LIVE_STATES, STATE_LABELS, STATES
from store.models import Item, ItemEvent

__all__ = ["ACTIVE_STATES", "LIVE_STATES", "SEVERITY_LABELS", "SEVERITY_ORDER", "STATES",
           "STATE_LABELS", "EventView", "ItemDetail", "ItemPage", "ItemView", "event_view",
           "item_view", "rule_title"]

SEVERITY_ORDER: dict[str, int] = dict(SEVERITY_RANK)
ACTION_LABELS = {
    "detected": "发现",
    "seen_again": "再次发现",
    "confirm": "确认",
    "mark_fixed": "报告已整改",
    "sent_back": "退回（整改未到位）",
    "verified": "复核销号",
    "auto_closed": "复查未再发现，销号",
    "regressed": "问题复现，重新打开",
    "escalated": "升级为需整改",
    "dismiss": "忽略",
    "request_dismiss": "申请忽略",
    "approve_dismiss": "同意忽略",
    "refuse_dismiss": "不同意忽略，退回整改",
    "reopen": "重新打开",
    "reassign": "改派",
    "change_deadline": "调整整改时限",
    "close": "人工销号",
}
DUE_SOON_DAYS = 2


@dataclass(frozen=True)
class ItemView:
    id: int
    rule: str
    rule_title: str
    severity: str
    state: str
    state_label: str
    regressions: int
    unit: str
    deadline: date | None
    overdue: bool
    due_soon: bool
    first_seen: date
    last_seen: date
    site: str | None
    account: str | None
    url: str
    target: str | None
    text: str | None
    column: str | None
    suggestion: str | None
    message: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    fix_note: str = ""

    @property
    def place(self) -> str:
        return self.account or self.site or ""

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)

    def to_json(self) -> dict[str, Any]:
        """The item in the shape of the findings JSON of RULES.md, plus its state."""
        out: dict[str, Any] = {
            "id": self.id, "rule": self.rule, "severity": self.severity,
            "state": self.state, "regressions": self.regressions, "unit": self.unit,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "overdue": self.overdue,
            "first_seen": self.first_seen.isoformat(), "last_seen": self.last_seen.isoformat(),
        }
        out.update(place_json(self))
        out["evidence"] = _plain(self.evidence)
        out["fix_note"] = self.fix_note
        return out


@dataclass(frozen=True)
class EventView:
    at: datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    note: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class ItemDetail:
    item: ItemView
    events: tuple[EventView, ...]
    related: tuple[ItemView, ...]  # 举一反三: same rule + text/target elsewhere in the unit


@dataclass(frozen=True)
class ItemPage:
    items: tuple[ItemView, ...]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def is_overdue(state: str, deadline: date | None, as_of: date) -> bool:
    return state in ACTIVE_STATES and deadline is not None and deadline < as_of


def is_due_soon(state: str, deadline: date | None, as_of: date, days: int = DUE_SOON_DAYS) -> bool:
    if state not in ACTIVE_STATES or deadline is None:
        return False
    return 0 <= (deadline - as_of).days <= days


def item_view(item: Item, as_of: date, due_soon_days: int = DUE_SOON_DAYS) -> ItemView:
    return ItemView(
        id=item.id, rule=item.rule, rule_title=rule_title(item.rule), severity=item.severity,
        state=item.state, state_label=STATE_LABELS.get(item.state, item.state),
        regressions=item.regressions or 0, unit=item.unit or "", deadline=item.deadline,
        overdue=is_overdue(item.state, item.deadline, as_of),
        due_soon=is_due_soon(item.state, item.deadline, as_of, due_soon_days),
        first_seen=item.first_seen, last_seen=item.last_seen, site=item.site,
        account=item.account, url=item.url, target=item.target, text=item.text,
        column=item.column, suggestion=item.suggestion, message=item.message,
        evidence=_freeze(item.evidence or {}), fix_note=item.fix_note or "",
    )


def event_view(event: ItemEvent) -> EventView:
    return EventView(
        at=event.at, actor=event.actor, action=event.action, from_state=event.from_state,
        to_state=event.to_state, note=event.note,
    )
