"""The year's numbers on the demo: every figure recomputed from the rows with independent SQL,
and the same numbers in the CLI text, the JSON, the Excel file and the web page."""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from core.settings import Settings, load_settings
from reports.yearbook import Yearbook, build_yearbook
from scheduler.patrol import run_patrol
from store.session import make_engine, make_sessionmaker
from xunwang.cli import main
from xunwang.demo import DemoSite

AS_OF = date(2026, 11, 27)
YEAR = AS_OF.year
START, END = f"{YEAR}-01-01", f"{YEAR}-12-31"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Settings, Path]]:
    folder = tmp_path_factory.mktemp("yearbook")
    db = folder / "x.db"
    with DemoSite(as_of=AS_OF, articles=150, crawler_timeout=5.0) as site:
        config = folder / "xunwang.toml"
        config.write_text(site.config_toml(db_url=f"sqlite:///{db}", outbox=str(folder / "outbox")),
                          encoding="utf-8")
        settings = load_settings(config, environ={})
        result = run_patrol(settings, as_of=AS_OF)
        assert result.status == "complete"
    yield db, settings, config


def _book(db: Path, settings: Settings, site: str | None = None) -> Yearbook:
    engine = make_engine(f"sqlite:///{db}")
    try:
        with make_sessionmaker(engine)() as session:
            return build_yearbook(session, settings, YEAR, site)
    finally:
        engine.dispose()


def _sql(db: Path, query: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(query, args))


def test_yearbook_figures_equal_independent_sql(demo_db: tuple[Path, Settings, Path]) -> None:
    db, settings, _ = demo_db
    book = _book(db, settings)
    # coverage: the days with a finished patrol
    (days,), = _sql(db, "SELECT COUNT(DISTINCT as_of) FROM runs WHERE kind = 'patrol' "
                        "AND status IN ('complete', 'partial') AND as_of BETWEEN ? AND ?", START, END)
    assert book.coverage_days == days == 1 and book.partial and book.year_days == 365
    # entries published, per site and per column (repost lists excluded), once per URL
    per_site = dict(_sql(db, """
        SELECT site, COUNT(*) FROM (SELECT DISTINCT e.site, e.url FROM entries e
            JOIN columns c ON c.id = e.column_id
            WHERE c.role = '' AND e.published BETWEEN ? AND ?) GROUP BY site""", START, END))
    assert {s.site: s.entries for s in book.sites if s.entries} == per_site
    assert sum(per_site.values()) > 100
    for s in book.sites:
        assert sum(s.by_month) == s.entries
        columns = dict(_sql(db, """
            SELECT c.name, COUNT(DISTINCT e.url) FROM entries e JOIN columns c ON c.id = e.column_id
            WHERE c.role = '' AND e.site = ? AND e.published BETWEEN ? AND ? GROUP BY c.name""",
                            s.site, START, END))
        assert s.by_column == columns
    # policy documents of the year: entries of 文件 columns that are not 解读 columns
    portal = next(p for p in book.policies if p.documents)
    (policies,), = _sql(db, """
        SELECT COUNT(DISTINCT e.url) FROM entries e JOIN columns c ON c.id = e.column_id
        WHERE e.site = ? AND c.name LIKE '%文件%' AND c.name NOT LIKE '%解读%'
          AND e.published BETWEEN ? AND ?""", portal.site, START, END)
    assert portal.documents == policies == 3
    assert (portal.interpreted, portal.missing) == (2, 1)
    assert portal.forms == {"image": 1, "text": 1}
    assert portal.median_delay_working_days is not None and portal.late == 2
    # letters asked in the year: received, answered, median and worst reply
    letters = _sql(db, "SELECT DISTINCT site, url, asked, replied FROM letters "
                       "WHERE asked BETWEEN ? AND ?", START, END)
    replies = [(date.fromisoformat(r) - date.fromisoformat(a)).days for _, _, a, r in letters if r]
    assert sum(x.received for x in book.letters) == len({(s, u) for s, u, _, _ in letters})
    assert sum(x.answered for x in book.letters) == len(replies)
    if replies:
        assert max(x.worst_reply_days or 0 for x in book.letters) == max(replies)
        if len(book.letters) == 1:
            assert book.letters[0].median_reply_days == statistics.median(replies)
    # accounts: posts of the year per account, platforms as configured
    posts = dict(_sql(db, "SELECT account, COUNT(DISTINCT url) FROM posts "
                          "WHERE published >= ? AND published < ? GROUP BY account",
                      START, f"{YEAR + 1}-01-01"))
    assert {a.account: a.posts for a in book.accounts if a.posts} == posts
    assert sum(book.platforms.values()) == len(settings.accounts)
    # rectification items first seen in the year, by unit and by type
    items = _sql(db, "SELECT unit, rule, state FROM items WHERE first_seen BETWEEN ? AND ?",
                 START, END)
    assert book.rectification.found == len(items) > 0
    units: dict[str, int] = {}
    for unit, _, _ in items:
        units[unit or "未指定"] = units.get(unit or "未指定", 0) + 1
    assert {u: g.found for u, g in book.by_unit.items()} == units
    rules: dict[str, int] = {}
    for _, rule, _ in items:
        rules[rule] = rules.get(rule, 0) + 1
    assert {r: g.found for r, g in book.by_rule.items()} == rules
    assert book.rectification.verified == sum(1 for *_, state in items if state == "closed")
    assert sum(book.found_by_month) == len(items)


def test_yearbook_cli_text_json_and_xlsx(demo_db: tuple[Path, Settings, Path],
                                         tmp_path: Path) -> None:
    db, settings, config = demo_db
    out_json, out_xlsx = tmp_path / "y.json", tmp_path / "y.xlsx"
    result = CliRunner().invoke(main, ["yearbook", "--config", str(config), "--year", str(YEAR),
                                       "--json", str(out_json), "--xlsx", str(out_xlsx)])
    assert result.exit_code == 0, result.output
    assert "巡查覆盖 1 / 365 天" in result.output and "仅部分覆盖" in result.output
    assert "政策文件 3 件，已解读 2 件" in result.output and "图解 1" in result.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(_book(db, settings).to_json(), ensure_ascii=False,
                                         default=str))
    from openpyxl import load_workbook

    workbook = load_workbook(out_xlsx)
    assert {"概览", "栏目发布", "政策解读", "留言办理", "政务新媒体", "整改"} <= set(workbook.sheetnames)
    assert workbook["栏目发布"]._charts and workbook["整改"]._charts  # noqa: SLF001
    unknown = CliRunner().invoke(main, ["yearbook", "--config", str(config), "--year", str(YEAR),
                                        "--site", "没有这个网站"])
    assert unknown.exit_code == 2 and "没有这个网站" in unknown.output


def test_yearbook_web_page_has_server_side_charts(demo_db: tuple[Path, Settings, Path]) -> None:
    from tests.web.conftest import WebEnv, _serve, login
    from web.app import create_app
    from web.users import add_user

    db, settings, _ = demo_db
    engine = make_engine(f"sqlite:///{db}")
    factory = make_sessionmaker(engine)
    now = datetime(2026, 11, 27, 9, 0)
    with factory.begin() as session:
        add_user(session, "yearbook", "correct-horse-1", "admin", "", now)
    app = create_app(settings, session_factory=factory, clock=lambda: now)
    env = WebEnv(app, settings, None, factory)  # type: ignore[arg-type]
    try:
        for served in _serve(env):
            with served.client() as client:
                assert client.get(f"/yearbook/{YEAR}", follow_redirects=False).status_code in (302, 303, 401)
                login(client, "yearbook", "correct-horse-1")
                page = client.get(f"/yearbook/{YEAR}")
                assert page.status_code == 200
                assert page.text.count("<svg") == 4 and "<script" not in page.text
                assert "各单位发现问题" in page.text and "政策文件与解读" in page.text
    finally:
        engine.dispose()
