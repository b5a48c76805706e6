"""The console pages over HTTP: start page and its SVG charts, sites, runs, users, passwords."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select

from store.models import ColumnPage, FindingRow, Item, Page, ProbeResult, Run, Target, User
from tests.web.conftest import NOW, PASSWORD, XSS_SCRIPT, Served, add_item, csrf_of, login


def _tile(html: str, label: str) -> int:
    found = re.search(r"<strong>(\d+)</strong><span>" + re.escape(label), html)
    assert found, label
    return int(found.group(1))


def test_start_page_counts_open_items_by_severity_unit_and_overdue(served: Served) -> None:
    with served.env.factory() as session, session.begin():
        closed = session.get(Item, served.env.ids.closed)
        assert closed is not None
        closed.closed_at = datetime(2026, 11, 20, 9, 0)
    with served.client() as client:
        login(client, "office")
        html = client.get("/").text
    assert _tile(html, "未销号问题") == 4  # the closed item is not open
    assert _tile(html, "单项否决") == 1 and _tile(html, "扣分") == 3
    assert _tile(html, "已逾期") == 1  # the typo, deadline 2026-11-20
    assert html.count("<svg") >= 4 and "<script" not in html.split("<main>")[1].split(XSS_SCRIPT)[0]
    assert "新发现（合计 5）" in html and "已销号（合计 1）" in html
    assert 'id="failed"' in html and "示范区政府网" in html.split('id="failed"')[1]
    ranking = html.split('class="ranking"')[1]
    assert "财政局</a>：1 项逾期" in ranking
    assert "安全事件" not in html  # none open: no tile, no section


def test_start_page_trend_switches_to_90_days_and_escapes_labels(served: Served) -> None:
    with served.env.factory() as session, session.begin():
        add_item(session, 90, unit=XSS_SCRIPT, first_seen=date(2026, 9, 1))
    with served.client() as client:
        login(client, "office")
        month = client.get("/").text
        quarter = client.get("/?days=90").text
    assert "新发现（合计 5）" in month and "新发现（合计 6）" in quarter
    assert XSS_SCRIPT not in quarter and "&lt;script&gt;" in quarter


def test_unit_user_start_page_counts_only_its_unit(served: Served) -> None:
    with served.client() as client:
        login(client, "jiaoyu")
        html = client.get("/").text
    assert _tile(html, "未销号问题") == 1  # the broken link of 教育局
    assert "财政局" not in html


def test_security_items_appear_as_incidents(served: Served) -> None:
    with served.env.factory() as session, session.begin():
        add_item(session, 91, rule="security-defaced", severity="veto", message="首页被篡改")
    with served.client() as client:
        login(client, "office")
        html = client.get("/").text
    assert _tile(html, "安全事件") == 1 and "首页被篡改" in html.split('id="security"')[1]


def _patrolled(served: Served) -> int:
    with served.env.factory() as session, session.begin():
        run = Run(kind="patrol", as_of=NOW.date(), started_at=datetime(2026, 11, 27, 2, 0),
                  finished_at=datetime(2026, 11, 27, 2, 30), status="complete",
                  targets=["示范区政府网"])
        session.add(run)
        session.flush()
        session.add(Page(run_id=run.id, site="示范区政府网", url="http://127.0.0.1/", status=200,
                         fetched_at=NOW, is_homepage=True))
        session.add(Page(run_id=run.id, site="示范区政府网", url="http://127.0.0.1/gone.html",
                         status=503, fetched_at=NOW))
        session.add(ColumnPage(run_id=run.id, site="示范区政府网", url="http://127.0.0.1/gzdt/",
                               name="工作动态", newest=date(2026, 10, 1), entry_count=20))
        session.add(ColumnPage(run_id=run.id, site="示范区政府网", url="http://127.0.0.1/tzgg/",
                               name="通知公告", newest=date(2026, 11, 25), entry_count=8))
        session.add(Target(run_id=run.id, site="示范区政府网", url="http://127.0.0.1/files/plan.pdf",
                           status=404, failure="404", checked_at=NOW))
        session.add(FindingRow(run_id=run.id, rule="link-broken", severity="deduct",
                               site="示范区政府网", url="http://127.0.0.1/a.html",
                               message="链接不可用（404）", fingerprint="f1"))
        # 3 of 4 probes in the last 7 days ok; one more failure 20 days ago
        for day, ok in ((26, True), (25, True), (24, True), (23, False), (7, False)):
            session.add(ProbeResult(site="示范区政府网", url="http://127.0.0.1/",
                                    at=datetime(2026, 11, day, 8, 0), ok=ok))
        return run.id


def test_site_page_shows_availability_last_patrol_and_columns_oldest_first(served: Served) -> None:
    run_id = _patrolled(served)
    with served.client() as client:
        login(client, "office")
        html = client.get("/sites/示范区政府网").text
    assert "75.0%" in html and "60.0%" in html  # 7 days: 3/4; 30 days: 3/5
    assert f'href="/runs/{run_id}"' in html
    columns = html.split('class="columns"')[1]
    assert columns.index("工作动态") < columns.index("通知公告")
    assert "2026-10-01" in columns and "57 天" in columns


def test_sites_list_has_verdict_and_open_items(served: Served) -> None:
    _patrolled(served)
    with served.client() as client:
        login(client, "office")
        html = client.get("/sites").text
    card = html.split('class="card place"')[1]
    assert "示范区政府网" in card and "不合格" in card and "75.0%" in card


def test_run_page_lists_pages_findings_and_failures(served: Served) -> None:
    run_id = _patrolled(served)
    with served.client() as client:
        login(client, "office")
        runs = client.get("/runs").text
        html = client.get(f"/runs/{run_id}").text
        missing = client.get("/runs/9999")
    assert f'<a href="/runs/{run_id}">{run_id}</a>' in runs
    assert "链接不可用（404）" in html and "页面不存在（404）" in html
    assert "http://127.0.0.1/gone.html" in html and "HTTP 503" in html
    assert missing.status_code == 404
    with served.client() as client:
        login(client, "caizheng")
        assert client.get(f"/runs/{run_id}").status_code == 403


def test_admin_manages_users_and_a_disabled_user_is_logged_out(served: Served) -> None:
    with served.client() as admin, served.client() as unit:
        login(unit, "caizheng")
        assert unit.get("/items").status_code == 200
        token = login(admin, "office")
        page = admin.get("/users")
        assert page.status_code == 200 and "caizheng" in page.text
        added = admin.post("/users", data={"username": "new1", "password": "longenough1",
                                           "role": "unit", "unit": "教育局", "csrf_token": token})
        assert added.status_code == 303
        bad = admin.post("/users", data={"username": "new2", "password": "longenough1",
                                         "role": "unit", "unit": "无此单位", "csrf_token": token})
        assert bad.status_code == 400 and "无此单位" in bad.text and "的责任单位" in bad.text
        assert admin.post("/users/caizheng/disable", data={"csrf_token": token}).status_code == 303
        self_off = admin.post("/users/office/disable", data={"csrf_token": token})
        assert self_off.status_code == 400 and "不能停用自己的账户" in self_off.text
        # the open session ends, and the password no longer logs in
        assert unit.get("/items", follow_redirects=False).status_code == 303
        form = csrf_of(unit.get("/login").text)
        refused = unit.post("/login", data={"username": "caizheng", "password": PASSWORD,
                                            "csrf_token": form})
        assert refused.status_code == 401
        assert admin.post("/users/caizheng/enable", data={"csrf_token": token}).status_code == 303
        assert admin.post("/users/caizheng/password", data={
            "password": "brand-new-pass", "csrf_token": token}).status_code == 303
    with served.client() as unit:
        login(unit, "caizheng", "brand-new-pass")
        assert unit.get("/users").status_code == 403
        assert unit.post("/users", data={"username": "x", "password": "longenough1",
                                         "role": "admin", "csrf_token": csrf_of(unit.get("/items").text)}
                         ).status_code == 403
    with served.env.factory() as session:
        new = session.scalar(select(User).where(User.username == "new1"))
        assert new is not None and new.unit == "教育局" and new.password_hash.startswith("scrypt$")


def test_change_own_password(served: Served) -> None:
    with served.client() as client:
        token = login(client, "jiaoyu")
        wrong = client.post("/password", data={"current": "nope", "new": "another-pass-1",
                                               "confirm": "another-pass-1", "csrf_token": token})
        assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
        mismatch = client.post("/password", data={"current": PASSWORD, "new": "another-pass-1",
                                                  "confirm": "another-pass-2", "csrf_token": token})
        assert mismatch.status_code == 400 and "两次输入的新密码不一致" in mismatch.text
        done = client.post("/password", data={"current": PASSWORD, "new": "another-pass-1",
                                              "confirm": "another-pass-1", "csrf_token": token},
                           follow_redirects=True)
        assert done.status_code == 200 and "已修改密码" in done.text
    with served.client() as client:
        login(client, "jiaoyu", "another-pass-1")
