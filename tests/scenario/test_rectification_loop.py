"""The loop over three patrols of the demo: initial → fixed → regressed, every item's state exact."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from core.settings import Settings, load_settings
from rectification.actions import mark_fixed
from rectification.actor import Actor
from rectification.queries import ItemFilter, all_items
from rectification.views import ItemView
from scheduler.patrol import run_patrol
from store.session import make_engine, make_sessionmaker
from xunwang.demo import DemoSite

AS_OF = date(2026, 11, 27)
ADMIN = Actor("admin", "admin")


def _items(settings: Settings) -> list[ItemView]:
    factory = make_sessionmaker(make_engine(settings.db.url))
    with factory() as session:
        return all_items(session, ItemFilter(sort="id"), ADMIN, AS_OF)


def _find(items: list[ItemView], rule: str, text: str | None = None,
          target_end: str | None = None, column: str | None = None,
          site: str | None = None) -> ItemView:
    found = [i for i in items if i.rule == rule and (site is None or i.site == site)
             and (text is None or i.text == text)
             and (target_end is None or (i.target or "").endswith(target_end))
             and (column is None or i.column == column)]
    assert len(found) == 1, (rule, text, target_end, column, found)
    return found[0]


def _mark_fixed(settings: Settings, item: ItemView, note: str) -> None:
    factory = make_sessionmaker(make_engine(settings.db.url))
    with factory.begin() as session:
        mark_fixed(session, item.id, Actor("unit-user", "unit", item.unit), note,
                   datetime(2026, 11, 27, 15, 0))


@pytest.mark.slow
def test_loop_closes_fixes_sends_back_and_reopens_regressions(tmp_path: Path, db_url: str) -> None:
    with DemoSite(as_of=AS_OF, articles=150) as site:
        config = tmp_path / "xunwang.toml"
        config.write_text(site.config_toml(db_url=db_url,
                                           outbox=str(tmp_path / "outbox")), encoding="utf-8")
        settings = load_settings(config, environ={})
        expected = site.manifest()

        run_patrol(settings, as_of=AS_OF)
        items = _items(settings)
        assert len(items) == len(expected)
        assert {i.state for i in items if i.severity == "warn"} == {"to_confirm"}
        assert {i.state for i in items if i.severity != "warn"} == {"open"}
        typo = _find(items, "wording-typo", text="按装")
        severe = _find(items, "wording-severe", text="中华人民共合国")
        blank = _find(items, "column-blank", column="规划计划", site=settings.sites[0].name)
        _mark_fixed(settings, typo, "已改正错别字")
        _mark_fixed(settings, severe, "已改正")  # not actually fixed on the site

        site.set_state("fixed")
        run_patrol(settings, as_of=AS_OF)
        items = _items(settings)
        by_id = {i.id: i for i in items}
        assert by_id[typo.id].state == "closed"  # reported fixed, verified gone
        assert by_id[severe.id].state == "sent_back"  # reported fixed, still there: 退回
        assert by_id[blank.id].state == "closed"  # fixed without a report, verified
        new = _find(items, "wording-outdated", text="环保局")
        assert new.state == "open" and new.first_seen == AS_OF
        assert {i.state for i in items if i.rule == "account-stale"} == {"open"}

        site.set_state("regressed")
        run_patrol(settings, as_of=AS_OF)
        items = _items(settings)
        by_id = {i.id: i for i in items}
        assert by_id[typo.id].state == "open"
        assert by_id[typo.id].regressions == 1
        assert len({i.id for i in items}) == len(items)  # one item per problem, no duplicates
