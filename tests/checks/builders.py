"""Small builders of snapshots for the rule tests (plain data, no I/O)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from checks.model import (
    AccountSnapshot,
    Column,
    Document,
    Entry,
    LinkSource,
    LinkTarget,
    Post,
    Probe,
    SiteSnapshot,
)
from core.settings import Settings

AS_OF = date(2024, 3, 20)
HOME = "http://www.example.gov.cn/"
SETTINGS = Settings()
FULL_FOOTER = "网站标识码：1101050001 京ICP备12345678号 京公网安备 11010502000001号 党政机关"


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


def entry(days: int | None, title: str = "条目") -> Entry:
    return Entry(title=title, url=f"{HOME}e/{days}.html", published=None if days is None else ago(days))


def column(name: str, *ages: int | None, blank: bool = False, top: bool = True) -> Column:
    return Column(url=f"{HOME}{name}/", name=name, blank=blank,
                  entries=tuple(entry(a) for a in ages), top_level=top,
                  placeholder="暂无信息" if blank else None)


def site(**fields: object) -> SiteSnapshot:
    base: dict[str, object] = {"name": "示例区政府", "url": HOME, "homepage_fetched": True,
                               "footer_text": FULL_FOOTER, "home_items": (entry(1),)}
    base.update(fields)
    return SiteSnapshot(**base)  # type: ignore[arg-type]


def doc(text: str, *, url: str = f"{HOME}a.html", published: date | None = None,
        kind: str = "page", title: str = "", linked_from: tuple[str, ...] = ()) -> Document:
    return Document(url=url, kind=kind, title=title, text=text, published=published,
                    linked_from=linked_from)


def probes(total: int, failed: int, *, days_ago: int = 1, failure: str = "timeout") -> tuple[Probe, ...]:
    start = datetime.combine(ago(days_ago), datetime.min.time())
    return tuple(
        Probe(at=start + timedelta(minutes=15 * i), ok=i >= failed,
              failure=failure if i < failed else None)
        for i in range(total)
    )


def target(url: str, verdict: str, failure: str | None, *pages: str, status: int | None = None) -> LinkTarget:
    """An in-scope target; ``verdict`` states what checks.links must judge of ``failure``."""
    from checks.links import verdict as judged

    assert judged(failure, True) == verdict, (failure, verdict)
    return LinkTarget(url=url, failure=failure, status=status, in_scope=True,
                      sources=tuple(LinkSource(page=p, tag="a", anchor="办事指南") for p in pages))


def account(*ages: int | None, status: str = "ok", texts: tuple[str, ...] = ()) -> AccountSnapshot:
    posts = tuple(
        Post(url=f"http://mirror.example/p/{i}", title=f"文章{i}",
             published=None if a is None else datetime.combine(ago(a), datetime.min.time()),
             text=texts[i] if i < len(texts) else "")
        for i, a in enumerate(ages)
    )
    return AccountSnapshot(name="示例发布", platform="wechat", url="http://mirror.example/",
                           status=status, posts=posts)
