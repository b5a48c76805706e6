"""What people do to items: each action checks permission and transition, writes an event.

Actions take a Session and never commit; the edge (a web request, a CLI command) does.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from core.settings import RectificationConfig
from rectification.actor import (
    ActionError,
    Actor,
    InvalidTransition,
    ItemNotFound,
    PermissionDenied,
)
from rectification.deadline import deadline_for
from rectification.queries import load_item
from rectification.states import State
from rectification.views import STATE_LABELS
from store import allow_rules, items
from store.models import Item

__all__ = [
    "ActionError", "Actor", "InvalidTransition", "ItemNotFound", "PermissionDenied",
    "DISMISS_SCOPES", "approve_dismissal", "close", "confirm", "change_deadline", "dismiss",
    "mark_fixed", "reassign", "record_event", "refuse_dismissal", "reopen",
]

DISMISS_SCOPES = ("item", "site", "global")
_DEFAULT_CONFIG = RectificationConfig()


def record_event(
    session: Session, item: Item, actor: str, action: str, from_state: str, note: str,
    now: datetime, **data: Any,
) -> None:
    """Append one audit event; ``from_state`` is the state before, the item's is after."""
    items.add_event(session, item, at=now, actor=actor, action=action, from_state=from_state,
                    note=note, data=data)


def _transition(
    session: Session, item: Item, actor: Actor, action: str, allowed: tuple[str, ...],
    to_state: str, note: str, now: datetime, **data: Any,
) -> None:
    if item.state not in allowed:
        names = "、".join(STATE_LABELS[s] for s in allowed)
        raise InvalidTransition(
            f"问题 {item.id} 当前为「{STATE_LABELS.get(item.state, item.state)}」，"
            f"只有「{names}」的问题可以{_ACTION_VERBS.get(action, action)}"
        )
    before = item.state
    item.state = to_state
    item.updated_at = now
    record_event(session, item, actor.username, action, before, note, now, **data)


_ACTION_VERBS = {
    "confirm": "确认", "mark_fixed": "报告已整改", "dismiss": "忽略", "reopen": "重新打开",
    "close": "销号", "request_dismiss": "申请忽略", "approve_dismiss": "同意忽略",
    "refuse_dismiss": "不同意忽略",
}
_DISMISSABLE = ("to_confirm", "open", "sent_back", "fixed_pending")


def _require_admin(actor: Actor, what: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied(f"{what}需要管理员权限")


def _require_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ActionError(f"{what}必须填写说明")
    return note


def confirm(
    session: Session, item_id: int, actor: Actor, note: str, now: datetime,
    *, config: RectificationConfig = _DEFAULT_CONFIG,
) -> None:
    """待确认 → 待整改: the problem is real; the deadline starts now."""
    item = load_item(session, item_id, actor)
    _transition(session, item, actor, "confirm", ("to_confirm",), "open", note, now)
    item.deadline = deadline_for(item.severity, now.date(), config)


def mark_fixed(session: Session, item_id: int, actor: Actor, note: str, now: datetime) -> None:
    """待整改/退回 → 已整改待复核: the unit reports the fix; the next patrol verifies it."""
    item = load_item(session, item_id, actor)
    note = _require_note(note, "报告已整改")
    _transition(session, item, actor, "mark_fixed", ("open", "sent_back"), "fixed_pending",
                note, now)
    item.fix_note = note


def dismiss(
    session: Session, item_id: int, actor: Actor, reason: str, scope: str, now: datetime,
) -> None:
    """→ 已忽略, with a reason; scope site/global also becomes an allow rule for the checks.

    A unit's dismissal of a veto or deduct item is a request (申请忽略待审核) that the office
    approves or refuses; a unit dismisses a warning (a suspected problem) itself.
    """
    item = load_item(session, item_id, actor)
    reason = _require_note(reason, "忽略")
    if scope not in DISMISS_SCOPES:
        raise ActionError(f"忽略范围 {scope!r} 无效，可选: {', '.join(DISMISS_SCOPES)}")
    if scope != "item":
        _require_admin(actor, "按站点或全局忽略")
        if not item.text:
            raise ActionError("只有带匹配文字的问题（错敏词、隐私）可以按站点或全局忽略")
    if not actor.is_admin and item.severity in ("veto", "deduct"):
        before = item.state
        _transition(session, item, actor, "request_dismiss", _DISMISSABLE,
                    State.DISMISS_REQUESTED, reason, now, scope=scope, back_to=before)
        return
    _transition(session, item, actor, "dismiss", _DISMISSABLE, "dismissed", reason, now,
                scope=scope)
    _allow(session, item, actor, reason, scope, now)


def _allow(session: Session, item: Item, actor: Actor, reason: str, scope: str,
           now: datetime) -> None:
    allow_rules.add_allow_rule(
        session, scope=scope, rule=item.rule, fingerprint=item.fingerprint,
        text=item.text if scope != "item" else None,
        site=(item.site or item.account) if scope == "site" else None,
        reason=reason, created_by=actor.username, created_at=now,
    )


def _request(session: Session, item: Item) -> dict[str, Any]:
    """The data of the item's latest dismissal request (reason, scope, state before)."""
    for event in reversed(items.events_of(session, item.id)):
        if event.action == "request_dismiss":
            return {**(event.data or {}), "reason": event.note}
    return {}


def approve_dismissal(
    session: Session, item_id: int, actor: Actor, note: str, now: datetime,
) -> None:
    """申请忽略待审核 → 已忽略 (office only): the unit's reason becomes the allow rule's."""
    _require_admin(actor, "审核忽略申请")
    item = load_item(session, item_id, actor)
    request = _request(session, item)
    _transition(session, item, actor, "approve_dismiss", (State.DISMISS_REQUESTED,),
                "dismissed", note.strip(), now)
    _allow(session, item, actor, str(request.get("reason") or note), "item", now)


def refuse_dismissal(
    session: Session, item_id: int, actor: Actor, note: str, now: datetime,
) -> None:
    """申请忽略待审核 → the state before the request (office only), with a reason."""
    _require_admin(actor, "审核忽略申请")
    item = load_item(session, item_id, actor)
    note = _require_note(note, "不同意忽略")
    back = str(_request(session, item).get("back_to") or State.OPEN)
    if back not in _DISMISSABLE:
        back = State.OPEN
    _transition(session, item, actor, "refuse_dismiss", (State.DISMISS_REQUESTED,), back,
                note, now)


def reopen(
    session: Session, item_id: int, actor: Actor, note: str, now: datetime,
    *, config: RectificationConfig = _DEFAULT_CONFIG,
) -> None:
    """已忽略/已销号 → 待整改 (office only); a dismissal's allow rule is withdrawn."""
    _require_admin(actor, "重新打开")
    item = load_item(session, item_id, actor)
    note = _require_note(note, "重新打开")
    before = item.state
    _transition(session, item, actor, "reopen", ("dismissed", "closed"), "open", note, now)
    if before == "dismissed":
        allow_rules.withdraw(session, item.fingerprint)
    item.deadline = deadline_for(item.severity, now.date(), config)
    item.closed_at = None


def close(session: Session, item_id: int, actor: Actor, note: str, now: datetime) -> None:
    """Manual 销号 by the office, for a fix no patrol can re-fetch (office only)."""
    _require_admin(actor, "人工销号")
    item = load_item(session, item_id, actor)
    note = _require_note(note, "人工销号")
    _transition(session, item, actor, "close",
                ("to_confirm", "open", "fixed_pending", "sent_back"), "closed", note, now)
    item.closed_at = now


def reassign(
    session: Session, item_id: int, actor: Actor, unit: str, reason: str, now: datetime,
    *, units: Collection[str] | None = None,
) -> None:
    """Give the item to another responsible unit (office only); ``units``: those that exist."""
    _require_admin(actor, "改派")
    item = load_item(session, item_id, actor)
    reason = _require_note(reason, "改派")
    if units is not None and unit.strip() not in units:
        raise ActionError(f"没有名为「{unit.strip()}」的责任单位{_nearest(unit.strip(), units)}")
    before_unit = item.unit
    item.unit = unit.strip()
    item.updated_at = now
    record_event(session, item, actor.username, "reassign", item.state,
                 f"{before_unit or '（无）'} → {item.unit or '（无）'}：{reason}", now,
                 from_unit=before_unit, to_unit=item.unit)


def _nearest(name: str, units: Collection[str]) -> str:
    close_ones = difflib.get_close_matches(name, list(units), n=3, cutoff=0.3)
    shown = close_ones or sorted(units)[:5]
    return f"，可选：{'、'.join(shown)}" if shown else "（配置中没有 [[units]]）"


def change_deadline(
    session: Session, item_id: int, actor: Actor, deadline: date, reason: str, now: datetime,
) -> None:
    """Set a new 整改时限 (office only), with a reason."""
    _require_admin(actor, "调整整改时限")
    item = load_item(session, item_id, actor)
    reason = _require_note(reason, "调整整改时限")
    before = item.deadline
    item.deadline = deadline
    item.updated_at = now
    record_event(session, item, actor.username, "change_deadline", item.state,
                 f"{before.isoformat() if before else '（无）'} → {deadline.isoformat()}：{reason}",
                 now, from_deadline=before.isoformat() if before else None,
                 to_deadline=deadline.isoformat())
