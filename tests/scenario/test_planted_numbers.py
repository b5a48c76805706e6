"""Issue 13 item 4: personal numbers planted in every field a finding can copy never leave
masked-free through any output: findings JSON, items and their events in the database,
digests (outbox and a real SMTP server), Excel/CSV exports, JSON API, web pages, logs.

The raw crawl tables (pages, bodies, link_sets, page_links, targets, columns, entries,
letters, posts) keep what the site published, as the privacy rules must read it (retention
clears page text); every other table is grepped.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import inspect, text

from core.settings import Settings, load_settings
from reports.digest import run_digests
from scheduler.patrol import PatrolResult, run_patrol
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, html
from tests.reports.test_digest import _free_port
from tests.web.conftest import NOW, WebEnv, _serve, login
from web.app import create_app
from web.users import add_user

AS_OF = date(2026, 11, 27)
ID = "110101199003071233"
PHONE = "13812345678"
CARD = "6222020200112233446"
PLANTED = (ID, PHONE, CARD)
RAW_TABLES = {"pages", "bodies", "link_sets", "page_links", "targets", "columns", "entries",
              "letters", "posts", "account_runs", "alembic_version"}
JSON_HEAD = {"Content-Type": "text/html; charset=utf-8"}


def _routes() -> dict[str, Any]:
    entries = "".join(
        f'<li><a href="/col/a{i}.html">通知{i} 联系{PHONE}</a><span>2025-0{i}-10</span></li>'
        for i in range(1, 8))
    home = html(
        f'<div class="nav"><a href="/col/">通知公告{CARD}</a></div>'
        f'<p>办事咨询电话 {PHONE}</p>'
        f'<a href="/files/{ID}.pdf">名单 {ID}</a>'
        f'<a href="/contact?tel={PHONE}&card={CARD}">联系我们 {CARD}</a>'
        f'<a href="/missing-{PHONE}.html">失效链接 {PHONE}</a>'
        f'<a href="/ldxx/xj_1.html">领导信箱：关于低保申请的咨询 {PHONE}</a>'
        f'<ul class="news-list">{entries}</ul>',
        title=f"示范区政府 {PHONE}")
    column = html(
        f'<div class="crumb">当前位置：首页 &gt; 通知公告{CARD}</div>'
        f'<ul class="list">{entries}</ul>', title=f"通知公告{CARD} - 示范区政府")
    letter = html(
        f"<h1>关于低保申请的咨询 {PHONE}</h1><p>来信时间：2026-06-01</p><p>状态：未回复</p>"
        f"<p>来信内容：我的身份证号 {ID}，银行卡 {CARD}，至今未到账。</p>",
        title=f"领导信箱 - 关于低保申请的咨询 {PHONE}")
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>示范区发布 {PHONE}</title><link>http://127.0.0.1/</link>"
        + "".join(
            f"<item><title>失物招领 联系{PHONE} 第{i}期</title>"
            f"<link>http://127.0.0.1/wx/{i}.html</link>"
            f"<description>身份证 {ID} 银行卡 {CARD}</description>"
            f"<pubDate>Mon, 0{i} Jun 2026 08:00:00 +0800</pubDate></item>" for i in range(1, 4))
        + "</channel></rss>").encode()
    routes: dict[str, Any] = {
        "/": (200, JSON_HEAD, home), "/col/": (200, JSON_HEAD, column),
        "/ldxx/xj_1.html": (200, JSON_HEAD, letter),
        "/feed.xml": (200, {"Content-Type": "application/rss+xml; charset=utf-8"}, feed)}
    for i in range(1, 8):
        routes[f"/col/a{i}.html"] = (200, JSON_HEAD, html(
            f"<h1>通知{i}</h1><p>申请人身份证号 {ID}，手机 {PHONE}，银行卡 {CARD}。</p>"
            f"<p>发布日期：2025-0{i}-10</p>", title=f"通知{i} {ID}"))
    return routes


@dataclass
class Planted:
    settings: Settings
    result: PatrolResult
    db_path: Path
    outbox: Path
    mails: list[bytes]
    logs: str


def _settings(db_url: str, site: LocalSite, port: int, outbox: Path) -> Settings:
    return load_settings(None, environ={}, overrides={
        "db": {"url": db_url},
        "sites": [{"name": "示范区政府", "url": site.url, "unit": "财政局", "page_limit": 100}],
        "units": [{"name": "财政局", "email": "czj@example.test"}],
        "accounts": [{"name": "示范区发布", "platform": "wechat", "url": site.url + "feed.xml",
                      "unit": "财政局"}],
        "crawler": {"timeout_seconds": 3, "retries": 0, "requests_per_second": 100.0},
        "mail": {"smtp_host": "127.0.0.1", "smtp_port": port, "security": "none",
                 "sender": "xunwang@example.test", "office_email": "office@example.test",
                 "outbox": str(outbox), "timeout_seconds": 5},
        "web": {"secret_key": "test-secret-key", "base_url": "http://xunwang.example.test"},
    })


class _Keep:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(bytes(envelope.content))
        return "250 OK"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planted]:
    root = tmp_path_factory.mktemp("planted")
    db_path = root / "x.db"
    url = f"sqlite:///{db_path}"
    engine = make_engine(url)
    upgrade(engine)
    keep, port = _Keep(), _free_port()
    controller = Controller(keep, hostname="127.0.0.1", port=port)
    controller.start()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(handler)
    previous = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        with LocalSite(_routes()) as site:
            settings = _settings(url, site, port, root / "outbox")
            result = run_patrol(settings, as_of=AS_OF, timeout_s=120)
        factory = make_sessionmaker(engine)
        run_digests(factory, settings, AS_OF, NOW, outbox=root / "outbox")  # to the outbox
        with factory.begin() as session:  # and tomorrow's by SMTP
            session.execute(text("DELETE FROM digests"))
        run_digests(factory, settings, AS_OF, NOW)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(previous)
        controller.stop()
        engine.dispose()
    yield Planted(settings, result, db_path, root / "outbox", keep.messages, stream.getvalue())


def _leaks(where: str, value: str) -> list[str]:
    return [f"{where}: {n}" for n in PLANTED if n in value]


def _mail_text(raw: bytes) -> str:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parts = [str(message["Subject"])]
    parts += [str(p.get_content()) for p in message.walk() if p.get_content_maintype() == "text"]
    return raw.decode("ascii", "replace") + "\n".join(parts)


def test_the_site_really_publishes_the_numbers_in_every_field(planted: Planted) -> None:
    rules = {f.rule for f in planted.result.findings}
    assert {"privacy-id-number", "privacy-phone", "privacy-bank-card", "link-broken",
            "column-stale", "interaction-overdue"} <= rules, rules
    assert {f.rule for f in planted.result.findings if f.account} >= {"privacy-phone"}
    engine = make_engine(f"sqlite:///{planted.db_path}")
    with engine.connect() as conn:  # the raw facts hold them: the rules had them to copy
        anchors = " ".join(r[0] for r in conn.execute(text("SELECT links FROM link_sets")))
        names = " ".join(r[0] for r in conn.execute(text("SELECT name FROM columns")))
    engine.dispose()
    assert ID in anchors and CARD in names


def test_findings_json_carries_no_number(planted: Planted) -> None:
    dumped = json.dumps([f.to_json() for f in planted.result.findings], ensure_ascii=False)
    assert _leaks("findings JSON", dumped) == []
    assert PHONE[:3] + "****" + PHONE[-4:] in dumped


def test_database_outside_the_raw_crawl_tables_carries_no_number(planted: Planted) -> None:
    engine = make_engine(f"sqlite:///{planted.db_path}")
    leaks = []
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names()) - RAW_TABLES
        assert {"items", "item_events", "findings", "digests"} <= tables
        for table in sorted(tables):
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                leaks += _leaks(table, " ".join(str(v) for v in row))
    engine.dispose()
    assert leaks == []


def test_digests_mailed_and_in_the_outbox_carry_no_number(planted: Planted) -> None:
    files = sorted(planted.outbox.glob("*.eml"))
    assert files and planted.mails
    leaks = [leak for f in files for leak in _leaks(f.name, _mail_text(f.read_bytes()))]
    leaks += [leak for m in planted.mails for leak in _leaks("smtp", _mail_text(m))]
    assert leaks == []


def test_logs_carry_no_number(planted: Planted) -> None:
    assert _leaks("log", planted.logs) == []


def test_web_pages_exports_and_json_carry_no_number(planted: Planted, tmp_path: Path) -> None:
    factory = make_sessionmaker(make_engine(planted.settings.db.url))
    with factory.begin() as session:
        add_user(session, "office", "correct-horse-1", "admin", "", NOW)
    app = create_app(planted.settings, session_factory=factory, clock=lambda: NOW)
    env = WebEnv(app, planted.settings, None, factory)  # type: ignore[arg-type]
    leaks: list[str] = []
    for served in _serve(env):
        with served.client() as client:
            login(client, "office")
            listing = client.get("/api/items?page_size=1000").json()
            assert listing["total"] >= 5
            leaks += _leaks("/api/items", json.dumps(listing, ensure_ascii=False))
            paths = ["/items", "/runs", "/sites/示范区政府", "/items.csv"]
            paths += [f"/items/{i['id']}" for i in listing["items"]]
            paths += [f"/api/items/{i['id']}" for i in listing["items"]]
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, path
                leaks += _leaks(path, response.content.decode("utf-8-sig", "replace"))
            xlsx = client.get("/items.xlsx")
            assert xlsx.status_code == 200
            with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
                for name in book.namelist():
                    leaks += _leaks(f"xlsx {name}", book.read(name).decode("utf-8", "replace"))
    assert leaks == []



def test_log_lines_are_masked_whatever_logs_them() -> None:
    from scheduler.logs import KeyValueFormatter, log_event

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(KeyValueFormatter())
    log = logging.getLogger("xunwang.test.planted")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        log_event(log, "job_done", detail=f"crawl failed at http://h/files/{ID}.pdf")
        log.info('127.0.0.1 - "GET /items?q=%s HTTP/1.1" 200', PHONE)  # as uvicorn.access
        try:
            raise ValueError(f"bad card {CARD}")
        except ValueError:
            log.exception("crawl error")
    finally:
        log.removeHandler(handler)
    assert _leaks("log", stream.getvalue()) == []
    assert "110101********1233" in stream.getvalue()


def test_run_reasons_and_job_details_are_masked(tmp_path: Path) -> None:
    from store import journal, runs

    url = f"sqlite:///{tmp_path / 'r.db'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        run_id = runs.start_run(session, kind="patrol", as_of=AS_OF, now=NOW, targets=["x"],
                                process=runs.this_process())
        runs.finish_run(session, run_id, status="failed", now=NOW, stats={},
                        reason=f"spider error on http://h/p?tel={PHONE}")
        job = journal.start_job(session, "patrol:site:x", NOW)
        journal.finish_job(session, job, "patrol:site:x", "failed", f"卡号 {CARD}", NOW)
    with engine.connect() as conn:
        stored = " ".join(str(v) for t in ("runs", "job_runs")
                          for row in conn.execute(text(f"SELECT * FROM {t}")) for v in row)
    engine.dispose()
    assert _leaks("db", stored) == []


def test_command_line_lists_and_json_carry_no_number(planted: Planted) -> None:
    from click.testing import CliRunner

    from xunwang.cli import main

    db = planted.settings.db.url
    outputs = {args: CliRunner().invoke(main, list(args)) for args in (
        ("items", "--db", db, "--json"), ("items", "--db", db, "--page-size", "1000"),
        ("items", "--db", db, "-q", "138"))}
    for args, result in outputs.items():
        assert result.exit_code == 0, (args, result.output)
    assert json.loads(outputs[("items", "--db", db, "--json")].output)
    leaks = [leak for args, r in outputs.items() for leak in _leaks(" ".join(args), r.output)]
    assert leaks == []
