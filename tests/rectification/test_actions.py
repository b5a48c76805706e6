"""People's actions on items: transitions, permissions, audit trail, allow rules."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rectification import actions
from rectification.actions import (
    ActionError,
    Actor,
    InvalidTransition,
    ItemNotFound,
    PermissionDenied,
)
from rectification.queries import get_item
from store.models import AllowRule, Item
from tests.rectification.conftest import AS_OF, NOW, add_item

ADMIN = Actor("office", "admin")
FINANCE = Actor("cz", "unit", "财政局")
EDU = Actor("jy", "unit", "教育局")


def test_actions_confirm_sets_working_day_deadline(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item = add_item(session, state="to_confirm", severity="warn", deadline=None)
        # 2026-09-30: golden week follows, 10-10 (Saturday) is an adjusted working day.
        actions.confirm(session, item.id, FINANCE, "属实", datetime(2026, 9, 30, 10, 0))
        assert item.state == "open"
        assert item.deadline == date(2026, 10, 20)


def test_actions_mark_fixed_then_audit_trail(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item_id = add_item(session).id
        actions.mark_fixed(session, item_id, FINANCE, "已改为“安装”", NOW)
        detail = get_item(session, item_id, FINANCE, AS_OF)
        assert detail.item.state == "fixed_pending"
        assert detail.item.fix_note == "已改为“安装”"
        [event] = detail.events
        assert (event.actor, event.action, event.from_state, event.to_state) == (
            "cz", "mark_fixed", "open", "fixed_pending")
        assert event.note == "已改为“安装”" and event.at == NOW
        with pytest.raises(InvalidTransition):
            actions.mark_fixed(session, item_id, FINANCE, "again", NOW)


def test_actions_unit_cannot_touch_other_units_item(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item_id = add_item(session, unit="教育局").id
        for call in (
            lambda: actions.mark_fixed(session, item_id, FINANCE, "x", NOW),
            lambda: actions.dismiss(session, item_id, FINANCE, "误报", "item", NOW),
            lambda: actions.confirm(session, item_id, FINANCE, "", NOW),
        ):
            with pytest.raises(ItemNotFound):
                call()
        assert session.get(Item, item_id).state == "open"


def test_actions_office_only_actions_refused_to_units(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item_id = add_item(session, text="按装").id
        with pytest.raises(PermissionDenied):
            actions.reassign(session, item_id, FINANCE, "教育局", "不归我们", NOW)
        with pytest.raises(PermissionDenied):
            actions.change_deadline(session, item_id, FINANCE, date(2027, 1, 1), "延期", NOW)
        with pytest.raises(PermissionDenied):
            actions.dismiss(session, item_id, FINANCE, "术语", "global", NOW)
        with pytest.raises(PermissionDenied):
            actions.close(session, item_id, FINANCE, "好了", NOW)


def test_actions_reassign_and_deadline_are_audited(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item_id = add_item(session).id
        actions.reassign(session, item_id, ADMIN, "教育局", "归口调整", NOW)
        actions.change_deadline(session, item_id, ADMIN, date(2026, 12, 31), "节后", NOW)
        detail = get_item(session, item_id, ADMIN, AS_OF)
        assert detail.item.unit == "教育局" and detail.item.deadline == date(2026, 12, 31)
        assert [e.action for e in detail.events] == ["reassign", "change_deadline"]
        assert "财政局 → 教育局" in detail.events[0].note
        with pytest.raises(ItemNotFound):
            get_item(session, item_id, FINANCE, AS_OF)  # now the other unit's
        with pytest.raises(ActionError):
            actions.reassign(session, item_id, ADMIN, "财政局", "  ", NOW)


def test_actions_dismiss_site_scope_becomes_allow_rule(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item_id = add_item(session, rule="wording-sensitive", text="某词").id
        actions.dismiss(session, item_id, ADMIN, "本站专用术语", "site", NOW)
        rule = session.scalars(select(AllowRule)).one()
        assert (rule.scope, rule.rule, rule.text, rule.site) == (
            "site", "wording-sensitive", "某词", "示例区政府")
        assert session.get(Item, item_id).state == "dismissed"
        actions.reopen(session, item_id, ADMIN, "误操作", NOW)
        assert session.get(Item, item_id).state == "open"
        assert session.scalars(select(AllowRule)).all() == []


def test_actions_dismiss_rejects_bad_scope_and_textless_site_scope(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        link_id = add_item(session, rule="link-broken", text=None, target="http://x/").id
        with pytest.raises(ActionError):
            actions.dismiss(session, link_id, ADMIN, "r", "planet", NOW)
        with pytest.raises(ActionError):
            actions.dismiss(session, link_id, ADMIN, "r", "site", NOW)
        with pytest.raises(ActionError):
            actions.dismiss(session, link_id, FINANCE, "", "item", NOW)
        actions.dismiss(session, link_id, FINANCE, "外部站点已下线，无需处理", "item", NOW)
        assert session.get(Item, link_id).state == "dismiss_requested"  # the office decides


def test_actions_reopen_closed_is_office_only(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item_id = add_item(session, state="closed", severity="veto").id
        with pytest.raises(PermissionDenied):
            actions.reopen(session, item_id, FINANCE, "没改好", NOW)
        actions.reopen(session, item_id, ADMIN, "没改好", datetime(2026, 9, 30, 9))
        item = session.get(Item, item_id)
        assert item.state == "open" and item.deadline == date(2026, 10, 10)  # adjusted working Saturday
