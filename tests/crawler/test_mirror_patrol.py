"""Account mirrors in a patrol: broken mirrors get a clear status, never a silence finding."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from core.settings import load_settings
from scheduler.patrol import run_patrol
from store.models import AccountRun, Post
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, free_port

AS_OF = date(2026, 11, 27)
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def _rss(items: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>镜像</title><link>http://example.org/</link>{items}</channel></rss>").encode()


def _item(n: int, day: str, text: str = "正文内容") -> str:
    return (f"<item><title>文章{n}</title><link>/p/{n}.html</link><pubDate>{day}</pubDate>"
            f"<description><![CDATA[<p>{text}{'。' * 300}</p>]]></description></item>")


def test_mirrors_statuses_and_post_rules(sqlite_url: str) -> None:
    routes: dict[str, Any] = {
        "/fresh.xml": (200, dict(RSS), _rss(
            _item(1, "Wed, 25 Nov 2026 08:00:00 +0800", "咨询电话13912345678")
            + _item(2, "Mon, 23 Nov 2026 08:00:00 +0800"))),
        "/silent.xml": (200, dict(RSS), _rss(_item(3, "Mon, 02 Nov 2026 08:00:00 +0800"))),
        "/broken.xml": (200, dict(RSS), b"<rss><channel><item><title>oops"),
        "/empty.xml": (200, dict(RSS), _rss("")),
        "/future.xml": (200, dict(RSS), _rss(_item(4, "Fri, 01 Jan 2100 08:00:00 +0800"))),
    }
    down = f"http://127.0.0.1:{free_port()}/feed.xml"
    with LocalSite(routes) as site:
        accounts = [{"name": n, "platform": "wechat", "url": site.url + n + ".xml"}
                    for n in ("fresh", "silent", "broken", "empty", "future")]
        accounts.append({"name": "down", "platform": "weibo", "url": down})
        overrides: dict[str, Any] = {
            "accounts": accounts, "db": {"url": sqlite_url},
            "crawler": {"timeout_seconds": 2, "retries": 0, "autothrottle": False}}
        settings = load_settings(None, environ={}, overrides=overrides)
        result = run_patrol(settings, as_of=AS_OF)
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        status = {r.account: r.status for r in session.scalars(select(AccountRun))}
        posts = {p.account: p for p in session.scalars(select(Post))}
    assert result.status == "complete"
    assert status == {"fresh": "ok", "silent": "ok", "broken": "malformed", "empty": "empty",
                      "future": "ok", "down": "unreachable"}
    assert posts["future"].published is None
    found = {(f.rule, f.account) for f in result.findings}
    assert ("account-stale", "silent") in found  # 25 days: veto
    assert ("privacy-phone", "fresh") in found
    silenced = {a for r, a in found if r in ("account-stale", "account-zombie")}
    assert silenced == {"silent", "future"}  # a post with no usable date is no sign of life
    phone = next(f for f in result.findings if f.rule == "privacy-phone")
    assert phone.url == site.url + "p/1.html" and "13912345678" not in str(phone.to_json())


def test_post_times_are_wall_time_of_schedule_timezone(sqlite_url: str) -> None:
    routes: dict[str, Any] = {"/feed.xml": (200, dict(RSS), _rss(
        _item(1, "Wed, 25 Nov 2026 08:00:00 +0800") + _item(2, "Thu, 26 Nov 2026 01:30:00 +0000")))}
    with LocalSite(routes) as site:
        overrides: dict[str, Any] = {
            "accounts": [{"name": "feed", "platform": "wechat", "url": site.url + "feed.xml"}],
            "db": {"url": sqlite_url}, "schedule": {"timezone": "Europe/London"},
            "crawler": {"timeout_seconds": 2, "retries": 0, "autothrottle": False}}
        settings = load_settings(None, environ={}, overrides=overrides)
        result = run_patrol(settings, as_of=AS_OF)
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        published = {p.url.rsplit("/", 1)[1]: p.published for p in session.scalars(select(Post))}
    assert result.status == "complete"
    # Shanghai wall time would be 08:00 and 09:30; London (GMT in November) is UTC
    assert published == {"1.html": datetime(2026, 11, 25, 0, 0), "2.html": datetime(2026, 11, 26, 1, 30)}
