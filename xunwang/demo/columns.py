"""The demo's columns and where each one's entries fall in time, for a given size and state.

Articles are never stored: an article is a pure function of (column, index, as_of, seed),
and an article id maps back to its column through contiguous id ranges. That keeps
``articles=20000`` as cheap to start as ``articles=300``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta

# Fixed in time on purpose: the outdated-term trap must predate the term's reform (2018).
TRAP_OLD_DATE = date(2017, 9, 1)
PORTAL, DEPT = "portal", "dept"
WINDOWS = {"news": 14, "notice": 183, "must": 365}
FIRST_ID = 1001


@dataclass(frozen=True)
class ColumnSpec:
    """One column: ``blank`` is '' (has entries), a placeholder text, or 'empty'."""

    site: str
    slug: str
    name: str
    kind: str
    count: int
    newest_age: int = 1
    gap: float = 5.0
    blank: str = ""
    encoding: str = "utf-8"
    scripted: bool = False
    oldest: date | None = None
    filled_when_fixed: bool = False

    def entries(self, state: str) -> int:
        if self.filled_when_fixed:
            return 0 if state == "initial" else 1
        return self.count

    def is_blank(self, state: str) -> bool:
        return self.entries(state) == 0


def _fixed_columns() -> list[ColumnSpec]:
    return [
        ColumnSpec(PORTAL, "tzgg", "通知公告", "notice", 14, newest_age=2, gap=6),
        ColumnSpec(PORTAL, "bmdt", "部门动态", "news", 10, newest_age=14, gap=3),
        ColumnSpec(PORTAL, "xzdt", "乡镇动态", "news", 10, newest_age=25, gap=4),
        ColumnSpec(PORTAL, "zcwj", "政策文件", "notice", 8, newest_age=200, gap=60,
                   oldest=TRAP_OLD_DATE),
        ColumnSpec(PORTAL, "zcjd", "政策解读", "notice", 6, newest_age=30, gap=20, scripted=True),
        ColumnSpec(PORTAL, "rsxx", "人事信息", "must", 5, newest_age=400, gap=45),
        ColumnSpec(PORTAL, "ghjh", "规划计划", "must", 1, newest_age=3, blank="暂无信息",
                   filled_when_fixed=True),
        ColumnSpec(PORTAL, "czxx", "财政信息", "must", 5, newest_age=100, gap=60),
        ColumnSpec(PORTAL, "tjxx", "统计信息", "must", 6, newest_age=60, gap=30, encoding="gbk"),
        ColumnSpec(PORTAL, "jgzn", "机构职能", "must", 0, blank="empty"),
        ColumnSpec(DEPT, "bmdt", "部门动态", "news", 15, newest_age=20, gap=5),
        ColumnSpec(DEPT, "tzgg", "通知公告", "notice", 6, newest_age=30, gap=15),
        ColumnSpec(DEPT, "zcwj", "政策文件", "notice", 0, blank="暂无信息"),
        ColumnSpec(DEPT, "zcjd", "政策解读", "notice", 0, blank="empty"),
        ColumnSpec(DEPT, "rsxx", "人事信息", "must", 0, blank="暂无内容"),
        ColumnSpec(DEPT, "ghjh", "规划计划", "must", 0, blank="empty"),
        ColumnSpec(DEPT, "czxx", "财政信息", "must", 0, blank="暂无信息"),
        # last, so that no other article's id moves (xunwang.demo.obligations)
        ColumnSpec(PORTAL, "nb", "年报", "must", 1, newest_age=250),
    ]


MIN_ARTICLES = 150


@dataclass(frozen=True)
class Catalog:
    """Every column of the demo with the id range its articles use."""

    columns: tuple[ColumnSpec, ...]
    bases: tuple[int, ...]

    @classmethod
    def build(cls, articles: int) -> Catalog:
        fixed = _fixed_columns()
        # the annual report column came later: it is not counted, so that no article id moved
        rest = articles - sum(c.count for c in fixed if c.slug != "nb")
        if articles < MIN_ARTICLES or rest < 40:
            raise ValueError(f"articles must be at least {MIN_ARTICLES}, got {articles}")
        big_gap = max(0.05, min(2.0, 1200 / rest))
        big = [
            ColumnSpec(PORTAL, "ywdt", "要闻动态", "news", rest // 2, newest_age=0, gap=big_gap),
            ColumnSpec(PORTAL, "gzdt", "工作动态", "news", rest - rest // 2, newest_age=1,
                       gap=big_gap),
        ]
        columns = tuple(big + fixed)
        bases, next_id = [], FIRST_ID
        for column in columns:
            bases.append(next_id)
            next_id += max(column.count, 1)
        return cls(columns, tuple(bases))

    def column(self, site: str, slug: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.site == site and c.slug == slug), None)

    def site_columns(self, site: str) -> list[ColumnSpec]:
        return [c for c in self.columns if c.site == site]

    def article_id(self, column: ColumnSpec, index: int) -> int:
        return self.bases[self.columns.index(column)] + index

    def locate(self, article_id: int) -> tuple[ColumnSpec, int] | None:
        slot = bisect.bisect_right(self.bases, article_id) - 1
        if slot < 0:
            return None
        column = self.columns[slot]
        index = article_id - self.bases[slot]
        return (column, index) if index < max(column.count, 1) else None


def entry_date(column: ColumnSpec, index: int, as_of: date) -> date:
    """Entry ``index`` (0 = newest) of ``column``: newest_age days back, then every ``gap``."""
    if column.oldest is not None and index == column.count - 1:
        return column.oldest
    return as_of - timedelta(days=column.newest_age + int(index * column.gap))
