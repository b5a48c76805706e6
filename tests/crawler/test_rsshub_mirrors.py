"""Issue 14 new media: RSSHub routes from platform + account id, and mirror problems
("we are blind") that are never an account-stale verdict. RSSHub-shaped feeds
(tests/crawler/rsshub/) are served on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.settings import load_settings, rsshub_url
from scheduler.patrol import run_patrol
from store.models import AccountRun
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite

SAVED = Path(__file__).parent / "rsshub"
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime.now(ZONE)
TODAY = NOW.date()


def _feed(name: str, template: str, *, built: datetime, newest: datetime, uid: str) -> bytes:
    text = (SAVED / template).read_text(encoding="utf-8")
    values = {"name": name, "id": uid, "self": "http://127.0.0.1/", "pad": "。" * 300,
              "built": format_datetime(built), "day1": format_datetime(newest),
              "day2": format_datetime(newest - timedelta(days=1))}
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text.encode("utf-8")


def test_rsshub_routes_are_the_documented_ones() -> None:
    base = "http://rsshub.internal:1200"
    assert rsshub_url(base, "weibo", "1195230310") == f"{base}/weibo/user/1195230310"
    assert rsshub_url(base, "douyin", "MS4wLjABAAAA") == f"{base}/douyin/user/MS4wLjABAAAA"
    assert rsshub_url(base, "toutiao", "MS4wLj") == f"{base}/toutiao/user/token/MS4wLj"
    assert rsshub_url(base, "wechat", "5b92") == f"{base}/wechat/wechat2rss/5b92"
    assert rsshub_url(base, "wechat", "59a5", "/wechat/ce/{id}") == f"{base}/wechat/ce/59a5"
    assert rsshub_url(base, "other", "x") is None


def test_mirror_problems_are_never_account_stale(sqlite_url: str) -> None:
    old = NOW - timedelta(days=20)  # posts 20 days old: stale, if the mirror can be trusted
    routes: dict[str, Any] = {
        "/weibo/user/1001": (200, dict(RSS), _feed(
            "某某发布", "weibo.xml", built=NOW - timedelta(minutes=5), newest=NOW - timedelta(days=1),
            uid="1001")),
        "/weibo/user/1002": (200, dict(RSS), _feed(  # the id belongs to another account
            "别的县发布", "weibo.xml", built=NOW, newest=old, uid="1002")),
        "/douyin/user/MS4wLjABAAAA3": (200, dict(RSS), _feed(  # RSSHub serving a 10-day-old copy
            "某某区融媒", "douyin.xml", built=NOW - timedelta(days=10), newest=old,
            uid="MS4wLjABAAAA3")),
        "/weibo/user/1004": (503, {"Content-Type": "text/html"},
                             b"<html><body>Error: Looks like something went wrong</body></html>"),
        "/weibo/user/1005": (200, dict(RSS), _feed(  # trustworthy mirror, silent account
            "某某区卫健委", "weibo.xml", built=NOW, newest=old, uid="1005")),
        "/plain.xml": (200, dict(RSS), _feed(
            "任意标题", "weibo.xml", built=NOW, newest=NOW - timedelta(days=2), uid="9")),
    }
    with LocalSite(routes) as site:
        accounts = [
            {"name": "某某发布", "platform": "weibo", "account_id": "1001"},
            {"name": "某某县发布", "platform": "weibo", "account_id": "1002"},
            {"name": "某某区融媒", "platform": "douyin", "account_id": "MS4wLjABAAAA3"},
            {"name": "某某区应急", "platform": "weibo", "account_id": "1004"},
            {"name": "区卫健委", "platform": "weibo", "account_id": "1005",
             "mirror_title": "某某区卫健委"},
            {"name": "自建镜像", "platform": "wechat", "url": site.url + "plain.xml"},
        ]
        settings = load_settings(None, environ={}, overrides={
            "accounts": accounts, "db": {"url": sqlite_url},
            "mirrors": {"rsshub": site.url},
            "crawler": {"timeout_seconds": 2, "retries": 0, "autothrottle": False}})
        assert settings.accounts[0].url == site.url + "weibo/user/1001"
        result = run_patrol(settings, as_of=TODAY)
    with make_sessionmaker(make_engine(sqlite_url))() as session:
        status = {r.account: (r.status, r.error) for r in session.scalars(select(AccountRun))}
    assert {k: v[0] for k, v in status.items()} == {
        "某某发布": "ok", "某某县发布": "wrong_account", "某某区融媒": "mirror_stale",
        "某某区应急": "unreachable", "区卫健委": "ok", "自建镜像": "ok"}
    assert "别的县发布" in status["某某县发布"][1]
    stale = {f.account for f in result.findings if f.rule in ("account-stale", "account-zombie")}
    assert stale == {"区卫健委"}  # the only silent account a trustworthy mirror shows
    assert result.stats["accounts"]["某某区融媒"]["status"] == "mirror_stale"


def test_account_id_without_rsshub_is_one_config_error() -> None:
    import pytest

    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="accounts「某某发布」: account_id needs"):
        load_settings(None, environ={}, overrides={
            "accounts": [{"name": "某某发布", "platform": "weibo", "account_id": "1"}]})



def test_only_rsshub_build_times_judge_a_mirror_stale() -> None:
    from crawler.extract.mirror import mirror_problem, parse_mirror

    old = NOW - timedelta(days=30)
    atom = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>某某发布</title><id>http://127.0.0.1/f</id><updated>{old.isoformat()}</updated>"
            f'<entry><title>文章</title><link href="http://127.0.0.1/p/1"/><id>p1</id>'
            f"<updated>{old.isoformat()}</updated></entry></feed>").encode()
    result = parse_mirror(atom, "http://127.0.0.1/f", "application/atom+xml", tz=ZONE)
    assert result.status == "ok" and result.built is None  # an Atom updated is its newest entry
    now = NOW.replace(tzinfo=None)
    assert mirror_problem(result, "", now, 48) is None
    rss = _feed("某某发布", "weibo.xml", built=NOW - timedelta(days=3), newest=old, uid="1")
    result = parse_mirror(rss, "http://127.0.0.1/weibo/user/1", "application/rss+xml", tz=ZONE)
    assert result.built is not None and result.title == "某某发布的微博"
    problem = mirror_problem(result, "某某发布", now, 48)
    assert problem is not None and problem[0] == "mirror_stale"
    assert mirror_problem(result, "某某发布", now, 24 * 5) is None
