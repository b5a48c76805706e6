"""Security patrol over local sites: an attacked site, a cloaking one, a hijacked partner.

Every trap of issue 15 side by side with its harmless twin: hidden vs visible links,
in-scope vs off-site redirects, a crackdown report vs spam, first vs later patrol, a parked
vs a live external page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from checks.model import Finding
from core.settings import Settings, load_settings
from scheduler.patrol import run_patrol

AS_OF = date(2026, 11, 27)


class _Server:
    """A site whose answers depend on the request (User-Agent, Referer): ``pages(handler)``."""

    def __init__(self, pages: Any) -> None:
        outer = self
        self.pages = pages
        self.state: dict[str, Any] = {"patrol": 1}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_HEAD(self) -> None:
                self.do_GET()

            def do_GET(self) -> None:
                status, headers, body = outer.pages(self, outer)
                self.send_response(status)
                headers.setdefault("Content-Type", "text/html; charset=utf-8")
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _page(title: str, body: str, head: str = "") -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body>{body}</body></html>").encode()


def _evil(handler: BaseHTTPRequestHandler, server: _Server) -> tuple[int, dict[str, str], bytes]:
    if handler.path.startswith("/parked"):
        return 200, {}, _page("partner.example", "<h1>This domain is for sale!</h1> 该域名出售")
    if handler.path.startswith("/live"):
        return 200, {}, _page("某某协会", "<p>协会简介 通知公告</p>")
    return 200, {}, _page("真人视讯 娱乐城", "<p>百家乐 注册送彩金</p>")


def _attacked(evil: str) -> Any:
    def pages(handler: BaseHTTPRequestHandler, server: _Server) -> tuple[int, dict[str, str], bytes]:
        ua = handler.headers.get("User-Agent", "")
        referer = handler.headers.get("Referer", "")
        path = handler.path
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        if path == "/" and "Baiduspider" in ua:
            return 302, {"Location": f"{evil}spam.html"}, b""
        if path == "/" and "iPhone" in ua:
            return 302, {"Location": "/m/"}, b""  # the site's own mobile pages: fine
        if path == "/":
            script = (f'<script>if (document.referrer.indexOf("baidu") > -1) '
                      f'{{ window.location.href = "{evil}spam.html"; }}</script>'
                      if "baidu.com" in referer else "")
            later = (f'<script src="{evil}new.js"></script>' if server.state["patrol"] > 1 else "")
            body = f"""
<div class="nav"><a href="/news/a.html">要闻</a> <a href="/news/b.html">通报</a></div>
<style>.ft-links {{ display: none }} #tiny a {{ font-size: 0px }}</style>
<div class="ft-links"><a href="{evil}a.html">澳门威尼斯人</a><a href="http://www.gov.cn/">中国政府网</a>
<a href="/about.html">本站链接</a></div>
<p id="tiny"><a href="{evil}b.html">购物</a></p>
<div style="display:none"><script>document.write('<a href="{evil}c.html">时时彩</a>');</script></div>
<p>友情链接：<a href="{evil}live.html">某某协会</a> <a href="{evil}parked.html">某学会</a>
<a href="{evil}visible.html">外部页面</a></p>
<script src="https://127.0.0.1:1/stat.js"></script>{later}{script}"""
            return 200, {}, _page("测试区人民政府", body)
        if path == "/m/":
            return 200, {}, _page("手机版", "<p>手机版首页</p>")
        if path == "/news/a.html":
            return 200, {}, _page(
                "我区严厉打击网络赌博犯罪", "<h1>我区严厉打击网络赌博犯罪</h1><p>发布时间：2026-11-20</p>"
                "<p>公安机关破获一起利用“澳门威尼斯人”等网站开设赌场案，查获百家乐赌台。</p>")
        if path == "/news/b.html":
            return 200, {}, _page("区政府召开常务会议", "<h1>区政府召开常务会议</h1>"
                                  "<p>发布时间：2026-11-21</p><p>会议研究了冬季工作。</p>",
                                  head='<meta name="keywords" content="百家乐,真人视讯">')
        return 404, {}, _page("404", "<p>页面不存在</p>")
    return pages


@pytest.fixture
def servers() -> Iterator[tuple[_Server, _Server]]:
    evil = _Server(_evil)
    site = _Server(_attacked(evil.url))
    yield site, evil
    site.close()
    evil.close()


def _settings(url: str, db_url: str) -> Settings:
    return load_settings(None, environ={}, overrides={
        "sites": [{"name": "测试区政府", "url": url}],
        "db": {"url": db_url},
        "crawler": {"timeout_seconds": 2.0, "retries": 0, "autothrottle": False},
        "schedule": {"alerts": False},
    })


def _by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def test_security_patrol_finds_each_attack_and_leaves_its_twin_alone(
        servers: tuple[_Server, _Server], db_url: str) -> None:
    site, evil = servers
    first = run_patrol(_settings(site.url, db_url), as_of=AS_OF)
    assert first.status == "complete"
    found = first.findings

    dark = {f.target: f for f in _by_rule(found, "security-dark-link")}
    assert dark[f"{evil.url}a.html"].severity == "veto"  # a <style> rule hides it
    assert dark[f"{evil.url}b.html"].severity == "warn"  # font-size:0, no illegal words
    assert dark[f"{evil.url}c.html"].evidence["written"] is True  # document.write
    assert "http://www.gov.cn/" not in dark and f"{evil.url}visible.html" not in dark

    content = {(f.url, f.text): f for f in _by_rule(found, "security-illegal-content")}
    assert content[(f"{site.url}news/b.html", "百家乐")].severity == "veto"  # meta keywords
    report = [f for (url, _t), f in content.items() if url == f"{site.url}news/a.html"]
    assert report and all(f.severity == "warn" for f in report)  # the crackdown report

    redirects = {f.evidence["visitor"]: f for f in _by_rule(found, "security-redirect")}
    assert set(redirects) == {"spider", "search"}  # the phone's /m/ stays in scope
    assert redirects["spider"].evidence["via"] == "status"
    assert redirects["search"].evidence["via"] == "script"

    hijacked = {f.target: f for f in _by_rule(found, "security-outbound-hijacked")}
    assert hijacked[f"{evil.url}parked.html"].severity == "deduct"
    assert hijacked[f"{evil.url}visible.html"].severity == "veto"
    assert f"{evil.url}live.html" not in hijacked

    assert _by_rule(found, "security-script-changed") == []  # the first patrol sets the baseline
    site.state["patrol"] = 2
    second = run_patrol(_settings(site.url, db_url), as_of=AS_OF)
    changed = _by_rule(second.findings, "security-script-changed")
    assert [f.evidence["host"] for f in changed] == [evil.url.split("/")[2]]
