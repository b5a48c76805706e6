"""Hostile or broken pages: each skipped with a recorded reason, the rest of the patrol intact."""

from __future__ import annotations

import os
from datetime import date

from sqlalchemy import select

from checks.links import verdict
from core.settings import load_settings
from scheduler.patrol import run_patrol
from store.models import Page, Run, Target
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_OF = date(2026, 11, 27)


def test_patrol_survives_huge_binary_broken_and_misdated_pages(sqlite_url: str) -> None:
    routes = {
        "/": (200, dict(HTML), html(
            '<a href="/big.html">大页面</a><a href="/binary.html">二进制</a>'
            '<a href="/broken.html">残缺</a><a href="/baddate.html">错误日期</a>'
            '<a href="/future.html">未来日期</a><a href="/fine.html">正常</a>', "首页")),
        "/big.html": (200, dict(HTML), b"<html><body>" + b"x" * (50 * 1024 * 1024)),
        "/binary.html": (200, dict(HTML), os.urandom(200_000)),
        "/broken.html": (200, dict(HTML), "<html><body><div><p>未闭合的<b>标签<table><tr><td>正文".encode()),
        "/baddate.html": (200, dict(HTML), html("<p>发布时间：2023-02-30</p><p>正文内容</p>")),
        "/future.html": (200, dict(HTML), html("<p>发布时间：2099-01-01</p><p>正文内容</p>")),
        "/fine.html": (200, dict(HTML), html("<p>发布时间：2026-11-20</p><p>联系电话13812345678</p>")),
    }
    with LocalSite(routes) as site:
        settings = load_settings(None, environ={}, overrides={
            "sites": [{"name": "测试站", "url": site.url}], "db": {"url": sqlite_url},
            "crawler": {"timeout_seconds": 10, "retries": 0, "autothrottle": False,
                        "max_page_bytes": 5_000_000},
        })
        result = run_patrol(settings, as_of=AS_OF)
    assert result.status == "complete"
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        pages = {p.url.rsplit("/", 1)[-1]: p for p in session.scalars(select(Page))}
        targets = {t.url.rsplit("/", 1)[-1]: t for t in session.scalars(select(Target))}
        run = session.scalars(select(Run)).one()
    assert (verdict(targets["big.html"].failure, targets["big.html"].in_scope), targets["big.html"].failure) == ("ok", "too-large")
    assert "big.html" not in pages
    assert pages["binary.html"].text in ("", None)
    assert "正文" in (pages["broken.html"].text or "")
    assert pages["baddate.html"].published is None
    assert pages["future.html"].published is None
    assert pages["fine.html"].published == date(2026, 11, 20)
    assert run.status == "complete"
    assert [f.rule for f in result.findings if f.url.endswith("fine.html")] == ["privacy-phone"]
