"""The states of a rectification item, and which of them a unit or a patrol still acts on."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    TO_CONFIRM = "to_confirm"
    OPEN = "open"
    FIXED_PENDING = "fixed_pending"
    CLOSED = "closed"
    SENT_BACK = "sent_back"
    DISMISSED = "dismissed"
    DISMISS_REQUESTED = "dismiss_requested"  # a unit asked to dismiss; the office decides

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[str, str] = {
    State.TO_CONFIRM: "待确认",
    State.OPEN: "待整改",
    State.FIXED_PENDING: "已整改待复核",
    State.CLOSED: "已销号",
    State.SENT_BACK: "退回",
    State.DISMISSED: "已忽略",
    State.DISMISS_REQUESTED: "申请忽略待审核",
}
STATES: tuple[str, ...] = tuple(State)
# States in which the unit still owes a fix; only these can be overdue or due soon.
# A pending dismissal request does not stop the clock: the office may refuse it.
ACTIVE_STATES: tuple[str, ...] = (State.OPEN, State.SENT_BACK, State.DISMISS_REQUESTED)
# States a patrol can still verify (close by absence, send back, keep open).
LIVE_STATES: tuple[str, ...] = (State.TO_CONFIRM, State.OPEN, State.FIXED_PENDING, State.SENT_BACK,
                                State.DISMISS_REQUESTED)
