from __future__ import annotations

import pytest

from checks import freshness
from checks.model import Severity
from core.settings import ColumnOverride, Settings, SiteConfig

from .builders import AS_OF, HOME, SETTINGS, column, entry, site


def _run(rule, snapshot, settings=SETTINGS):  # noqa: ANN001, ANN202
    return list(rule(snapshot, settings, AS_OF))


def test_homepage_stale_14_days_is_not_stale_15_is_veto() -> None:
    assert [f.severity for f in _run(freshness.homepage_stale, site(home_items=(entry(14),)))] == [
        Severity.WARN
    ]
    found = _run(freshness.homepage_stale, site(home_items=(entry(15), entry(None))))
    assert [(f.rule, f.severity) for f in found] == [("homepage-stale", Severity.VETO)]
    assert found[0].evidence["age_days"] == 15 and found[0].url == HOME


def test_homepage_stale_warns_after_10_days_only() -> None:
    assert _run(freshness.homepage_stale, site(home_items=(entry(10),))) == []
    assert [f.severity for f in _run(freshness.homepage_stale, site(home_items=(entry(11),)))] == [
        Severity.WARN
    ]


def test_homepage_stale_undated_items_count_as_not_updated() -> None:
    found = _run(freshness.homepage_stale, site(home_items=(entry(None), entry(None))))
    assert found[0].severity == Severity.VETO and found[0].evidence["newest"] is None


def test_homepage_stale_ignores_future_dates_and_unfetched_homepage() -> None:
    assert _run(freshness.homepage_stale, site(home_items=(entry(-3), entry(30))))[0].severity == Severity.VETO
    assert _run(freshness.homepage_stale, site(homepage_fetched=False, home_items=())) == []


def test_column_stale_windows_per_type() -> None:
    columns = (column("工作动态", 14), column("要闻", 15), column("通知公告", 183),
               column("政策文件", 184), column("人事信息", 365), column("规划计划", 366))
    found = _run(freshness.column_stale, site(columns=columns))
    assert [f.column for f in found] == ["要闻", "政策文件", "规划计划"]
    assert all(f.rule == "column-stale" and f.severity == Severity.DEDUCT for f in found)
    assert [f.evidence["window_days"] for f in found] == [14, 183, 365]


def test_column_stale_override_by_name_changes_window() -> None:
    settings = Settings(sites=(SiteConfig(name="示例区政府", url=HOME, columns=(
        ColumnOverride(match="领导活动", type="news"),)),))
    snapshot = site(columns=(column("领导活动", 30),))
    assert _run(freshness.column_stale, snapshot) == []
    assert [f.column for f in _run(freshness.column_stale, snapshot, settings)] == ["领导活动"]


def test_column_blank_is_not_also_stale() -> None:
    snapshot = site(columns=(column("政策解读", blank=True),))
    assert _run(freshness.column_stale, snapshot) == []
    found = _run(freshness.column_blank, snapshot)
    assert [(f.rule, f.column) for f in found] == [("column-blank", "政策解读")]
    assert "暂无信息" in found[0].message


def test_columns_veto_five_stale_news_notice_top_level() -> None:
    names = ["工作动态", "部门动态", "通知公告", "政策文件", "政策解读"]
    four = site(columns=tuple(column(n, 400) for n in names[:4]))
    assert _run(freshness.columns_veto, four) == []
    five = site(columns=tuple(column(n, 400) for n in names))
    assert [f.rule for f in _run(freshness.columns_veto, five)] == ["columns-veto"]
    not_top = site(columns=tuple(column(n, 400, top=False) for n in names))
    assert _run(freshness.columns_veto, not_top) == []


def test_columns_veto_ten_stale_or_five_blank() -> None:
    ten = site(columns=tuple(column(f"人事{i}", 400, top=False) for i in range(10)))
    assert _run(freshness.columns_veto, ten)[0].evidence["stale_all"] == 10
    blanks = site(columns=tuple(column(f"栏目{i}", blank=True) for i in range(5)))
    found = _run(freshness.columns_veto, blanks)
    assert found[0].severity == Severity.VETO and found[0].evidence["blank"] == 5
    assert _run(freshness.columns_veto, site(columns=blanks.columns[:4])) == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [("工作动态", "news"), ("要闻", "news"), ("新闻资讯", "news"), ("通知公告", "notice"),
     ("政策解读", "notice"), ("公示公告", "notice"), ("规范性文件", "notice"),
     ("人事信息", "must_update"), ("规划计划", "must_update")],
)
def test_column_type_of_names(name: str, kind: str) -> None:
    assert freshness.column_type(name) == kind


def test_column_type_from_name() -> None:
    assert freshness.column_type("新闻中心") == "news"
    assert freshness.column_type("公示公告") == "notice"
    assert freshness.column_type("机构职能") == "must_update"
