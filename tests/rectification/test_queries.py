"""The item list: filters, sorting, paging, unit visibility, 举一反三, facets."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from rectification.actor import Actor, ItemNotFound
from rectification.queries import ItemFilter, all_items, facets, get_item, list_items
from tests.rectification.conftest import AS_OF, add_item

ADMIN = Actor("office", "admin")
FINANCE = Actor("cz", "unit", "财政局")
EDU = Actor("jy", "unit", "教育局")


def _seed(session: Session) -> dict[str, int]:
    ids = {}
    ids["typo"] = add_item(session, text="按装", deadline=date(2026, 11, 20)).id  # overdue
    ids["typo2"] = add_item(session, text="按装", url="http://127.0.0.1/b.html").id
    ids["other_unit"] = add_item(session, text="按装", unit="教育局", site="教育局网站").id
    ids["link"] = add_item(session, rule="link-broken", target="http://127.0.0.1/x.pdf",
                           text=None, severity="deduct", deadline=date(2026, 12, 3)).id
    ids["veto"] = add_item(session, rule="privacy-id-number", severity="veto",
                           text="110101********1234", deadline=date(2026, 11, 30)).id
    ids["warn"] = add_item(session, rule="wording-suspect", severity="warn", state="to_confirm",
                           deadline=None, text="截止", account="示例公众号", site=None).id
    return ids


def test_queries_unit_actor_sees_only_its_unit(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ids = _seed(session)
        page = list_items(session, ItemFilter(), FINANCE, AS_OF)
        assert ids["other_unit"] not in {i.id for i in page.items}
        assert page.total == 5
        assert list_items(session, ItemFilter(), EDU, AS_OF).total == 1
        assert list_items(session, ItemFilter(), ADMIN, AS_OF).total == 6
        assert list_items(session, ItemFilter(), Actor("x", "unit", ""), AS_OF).total == 0


def test_queries_get_item_of_other_unit_is_not_found(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ids = _seed(session)
        with pytest.raises(ItemNotFound):
            get_item(session, ids["other_unit"], FINANCE, AS_OF)
        with pytest.raises(ItemNotFound):
            get_item(session, 999_999, ADMIN, AS_OF)
        assert get_item(session, ids["other_unit"], EDU, AS_OF).item.unit == "教育局"


def test_queries_filters_overdue_state_rule_and_search(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ids = _seed(session)
        overdue = list_items(session, ItemFilter(overdue=True), ADMIN, AS_OF)
        assert [i.id for i in overdue.items] == [ids["typo"]]
        assert overdue.items[0].overdue and not overdue.items[0].due_soon
        assert list_items(session, ItemFilter(overdue=False), ADMIN, AS_OF).total == 5
        state = list_items(session, ItemFilter(state="to_confirm"), ADMIN, AS_OF)
        assert [i.id for i in state.items] == [ids["warn"]]
        rule = list_items(session, ItemFilter(rule="link-broken"), ADMIN, AS_OF)
        assert [i.id for i in rule.items] == [ids["link"]]
        search = list_items(session, ItemFilter(q="x.pdf"), ADMIN, AS_OF)
        assert [i.id for i in search.items] == [ids["link"]]
        account = list_items(session, ItemFilter(account="示例公众号"), ADMIN, AS_OF)
        assert [i.id for i in account.items] == [ids["warn"]]


def test_queries_sort_and_paging(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ids = _seed(session)
        by_deadline = all_items(session, ItemFilter(), FINANCE, AS_OF)
        assert [i.id for i in by_deadline][:2] == [ids["typo"], ids["veto"]]
        assert by_deadline[-1].id == ids["warn"]  # no deadline sorts last
        by_severity = all_items(session, ItemFilter(sort="severity"), FINANCE, AS_OF)
        assert by_severity[0].severity == "veto" and by_severity[-1].severity == "warn"
        page2 = list_items(session, ItemFilter(page=2, page_size=2, sort="id"), ADMIN, AS_OF)
        assert page2.total == 6 and page2.pages == 3
        assert [i.id for i in page2.items] == sorted(ids.values())[2:4]
        assert not by_deadline[1].due_soon  # 2026-11-30 is three days away
        later = all_items(session, ItemFilter(), FINANCE, date(2026, 11, 28))
        assert later[1].due_soon


def test_queries_related_items_same_unit_same_text(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ids = _seed(session)
        detail = get_item(session, ids["typo"], ADMIN, AS_OF)
        assert [r.id for r in detail.related] == [ids["typo2"]]  # not the other unit's
        assert get_item(session, ids["link"], ADMIN, AS_OF).related == ()


def test_queries_facets_respect_visibility(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        _seed(session)
        mine = facets(session, FINANCE)
        assert mine["units"] == ["财政局"]
        assert mine["accounts"] == ["示例公众号"]
        assert "教育局网站" not in mine["sites"]
        assert "link-broken" in mine["rules"]
        assert facets(session, ADMIN)["units"] == sorted(["教育局", "财政局"])


def test_queries_item_json_has_contract_fields(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        ids = _seed(session)
        data = get_item(session, ids["warn"], ADMIN, AS_OF).item.to_json()
        for key in ("id", "rule", "severity", "state", "regressions", "unit", "deadline",
                    "first_seen", "last_seen", "account", "url", "text", "message"):
            assert key in data
        assert "site" not in data and data["deadline"] is None and data["state"] == "to_confirm"


def test_queries_search_is_literal_and_ignores_ascii_case(factory: sessionmaker[Session]) -> None:
    with factory.begin() as session:
        pct = add_item(session, message="完成率 100% 的说明", url="http://127.0.0.1/Report.HTML").id
        add_item(session, message="完成率 1000 的说明")
        found = list_items(session, ItemFilter(q="100%"), ADMIN, AS_OF)
        assert [i.id for i in found.items] == [pct]
        assert [i.id for i in list_items(session, ItemFilter(q="report.html"), ADMIN,
                                         AS_OF).items] == [pct]
