"""Issue 14 §4: a unit's dismissal of a veto or deduct item is a request the office decides;
reassigning to a unit that does not exist is refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from rectification import actions
from rectification.actions import ActionError, Actor, InvalidTransition, PermissionDenied
from rectification.queries import ItemFilter, all_items
from store.models import AllowRule, Item
from tests.rectification.conftest import AS_OF, NOW, add_item

ADMIN = Actor("office", "admin")
FINANCE = Actor("cz", "unit", "财政局")


def test_unit_cannot_dismiss_its_overdue_veto_item_at_once(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        item_id = add_item(session, rule="privacy-id-number", severity="veto",
                           deadline=date(2026, 11, 20)).id
        actions.dismiss(session, item_id, FINANCE, "随便写的理由", "item", NOW)
        item = session.get(Item, item_id)
        assert item is not None and item.state == "dismiss_requested"
        assert session.scalars(select(AllowRule)).all() == []  # nothing allowed yet
        [view] = all_items(session, ItemFilter(), ADMIN, AS_OF)
        assert view.overdue  # a request does not stop the clock
        with pytest.raises(PermissionDenied):
            actions.approve_dismissal(session, item_id, FINANCE, "我批准", NOW)


def test_office_approves_a_dismissal_request(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item_id = add_item(session, rule="link-broken", target="http://x/").id
        actions.dismiss(session, item_id, FINANCE, "外部站点已下线", "item", NOW)
        actions.approve_dismissal(session, item_id, ADMIN, "同意", NOW)
        item = session.get(Item, item_id)
        assert item is not None and item.state == "dismissed"
        [rule] = session.scalars(select(AllowRule)).all()
        assert rule.fingerprint == item.fingerprint and rule.reason == "外部站点已下线"


def test_office_refuses_a_dismissal_request_and_the_item_goes_back(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        item_id = add_item(session, state="sent_back").id
        actions.dismiss(session, item_id, FINANCE, "不是问题", "item", NOW)
        with pytest.raises(ActionError):
            actions.refuse_dismissal(session, item_id, ADMIN, "", NOW)  # a reason is needed
        actions.refuse_dismissal(session, item_id, ADMIN, "确属错别字，请整改", NOW)
        item = session.get(Item, item_id)
        assert item is not None and item.state == "sent_back"
        with pytest.raises(InvalidTransition):
            actions.approve_dismissal(session, item_id, ADMIN, "同意", NOW)


def test_unit_dismisses_a_warning_itself_and_the_office_dismisses_directly(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        warn_id = add_item(session, severity="warn", state="to_confirm", deadline=None).id
        actions.dismiss(session, warn_id, FINANCE, "上下文正确", "item", NOW)
        deduct_id = add_item(session).id
        actions.dismiss(session, deduct_id, ADMIN, "误报", "item", NOW)
        assert session.get(Item, warn_id).state == "dismissed"  # type: ignore[union-attr]
        assert session.get(Item, deduct_id).state == "dismissed"  # type: ignore[union-attr]


def test_pending_requests_are_listed_for_the_office(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        item_id = add_item(session).id
        add_item(session)
        actions.dismiss(session, item_id, FINANCE, "误报", "item", NOW)
        pending = all_items(session, ItemFilter(state="dismiss_requested"), ADMIN, AS_OF)
        assert [i.id for i in pending] == [item_id]
        assert pending[0].state_label == "申请忽略待审核"


def test_reassign_to_a_unit_that_does_not_exist_is_refused(
    factory: sessionmaker[Session],
) -> None:
    units = ("财政局", "教育局")
    with factory.begin() as session:
        item_id = add_item(session).id
        with pytest.raises(ActionError, match="教育局"):
            actions.reassign(session, item_id, ADMIN, "教委局", "改派", NOW, units=units)
        actions.reassign(session, item_id, ADMIN, "教育局", "职责调整", NOW, units=units)
        item = session.get(Item, item_id)
        assert item is not None and item.unit == "教育局"
