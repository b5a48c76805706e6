"""One article of the demo as plain data: a pure function of catalog, index, state and clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from xunwang.demo import obligations, texts
from xunwang.demo.columns import Catalog, ColumnSpec, entry_date
from xunwang.demo.plan import LINKS, SNIPPETS, LinkPlant

PAGE_SIZE = 20
ATTACHMENT_EXTS = ("docx", "xlsx", "pdf")
ATTACHMENT_NAMES = {"docx": "报名表.docx", "xlsx": "拟补助人员名单.xlsx", "pdf": "年度报告.pdf"}


@dataclass(frozen=True)
class Article:
    column: ColumnSpec
    index: int
    id: int
    published: datetime
    meta_published: datetime
    title: str
    paragraphs: tuple[str, ...]
    links: tuple[LinkPlant, ...]
    attachments: tuple[str, ...]

    @property
    def path(self) -> str:
        return article_path(self.column.slug, self.published.date(), self.id)

    @property
    def date_line(self) -> str:
        """Visible publish time, in one of three formats real CMSs use."""
        when = self.published
        style = self.id % 3
        if style == 0:
            return f"{when:%Y-%m-%d}"
        if style == 1:
            return f"{when.year}年{when.month}月{when.day}日"
        return f"{when:%Y/%m/%d %H:%M}"


def article_path(slug: str, day: date, article_id: int) -> str:
    return f"/{slug}/{day:%Y%m}/t{day:%Y%m%d}_{article_id}.html"


def attachment_path(article: Article, ext: str) -> str:
    day = article.published.date()
    return f"/{article.column.slug}/{day:%Y%m}/P020{day:%Y%m%d}{article.id}{ATTACHMENT_EXTS.index(ext) + 1}.{ext}"


def build(catalog: Catalog, column: ColumnSpec, index: int, *, as_of: date, seed: int,
          state: str) -> Article:
    article_id = catalog.article_id(column, index)
    day = entry_date(column, index, as_of)
    published = datetime(day.year, day.month, day.day, 8 + article_id % 9, (article_id * 7) % 60)
    # Some CMSs stamp the last edit, not the publication, into the meta tag.
    disagree = column.slug == "ywdt" and index >= 10 and index % 5 == 3
    meta = published - timedelta(days=3) if disagree else published
    extra = [s.sentence for s in SNIPPETS
             if (s.site, s.slug, s.index) == (column.site, column.slug, index) and state in s.states]
    body = texts.paragraphs(article_id, seed)
    if extra:
        body = body[:2] + extra + body[2:]
    page = f"{column.slug}:{index}"
    links = tuple(p for p in LINKS if p.site == column.site and p.page == page and state in p.states)
    attachments = ATTACHMENT_EXTS if (column.site, column.slug, index) == ("portal", "tzgg", 0) else ()
    if column.slug == obligations.REPORT_SLUG:
        body = [obligations.report_body(day.year - 1)]
    return Article(column, index, article_id, published, meta,
                   _title(catalog, column, index, as_of, seed), tuple(body), links, attachments)


def _title(catalog: Catalog, column: ColumnSpec, index: int, as_of: date, seed: int) -> str:
    day = entry_date(column, index, as_of)
    # only a planted 政策解读 entry names its policy's year; computing the day for every
    # article overflowed the date range on a 200,000-article site (index × 60 days)
    policies = catalog.column(column.site, "zcwj") if column.slug == "zcjd" else None
    policy_day = entry_date(policies, index, as_of) if policies is not None else None
    fixed = obligations.title_for(column, index, day, policy_day)
    return fixed or texts.title(column.kind, catalog.article_id(column, index), seed, day)


@dataclass(frozen=True)
class Headline:
    """What a list page shows of an article: link, title, date."""

    path: str
    title: str
    published: date


@lru_cache(maxsize=65_536)
def headline(catalog: Catalog, column: ColumnSpec, index: int, as_of: date, seed: int) -> Headline:
    """Cached: list pages and homepages are the hot paths of a crawl."""
    article_id = catalog.article_id(column, index)
    day = entry_date(column, index, as_of)
    return Headline(article_path(column.slug, day, article_id),
                    _title(catalog, column, index, as_of, seed), day)


def find(catalog: Catalog, site: str, path: str, *, as_of: date, seed: int,
         state: str) -> Article | None:
    """The article served at ``path`` on ``site``, or None (a 404)."""
    parts = path.strip("/").split("/")
    if len(parts) != 3 or not parts[2].startswith("t") or not parts[2].endswith(".html"):
        return None
    try:
        article_id = int(parts[2][:-5].rpartition("_")[2])
    except ValueError:
        return None
    found = catalog.locate(article_id)
    if found is None:
        return None
    column, index = found
    if column.site != site or column.slug != parts[0] or index >= column.entries(state):
        return None
    article = build(catalog, column, index, as_of=as_of, seed=seed, state=state)
    return article if article.path == path else None


def page_count(column: ColumnSpec, state: str) -> int:
    return max(1, -(-column.entries(state) // PAGE_SIZE))


def list_page_path(slug: str, page: int) -> str:
    return f"/{slug}/index.html" if page == 0 else f"/{slug}/index_{page}.html"
