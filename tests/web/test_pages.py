"""The web list's pages and actions over HTTP: health, runs, scorecard, evidence, actions."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import create_engine

from store.models import Run
from store.session import make_sessionmaker
from tests.web.conftest import NOW, Served, WebEnv, _serve, login, make_settings
from web.app import create_app


def test_healthz_reports_ok_with_database(served: Served) -> None:
    with served.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_healthz_is_503_when_database_is_down(web_env: WebEnv) -> None:
    dead = make_sessionmaker(create_engine("postgresql+psycopg://x@127.0.0.1:1/none",
                                           connect_args={"connect_timeout": 2}))
    app = create_app(web_env.settings, session_factory=dead, clock=lambda: NOW)
    for served in _serve(WebEnv(app, web_env.settings, web_env.ids, dead)):
        with served.client() as client:
            response = client.get("/healthz")
        assert response.status_code == 503 and response.json()["status"] == "error"


def test_runs_page_lists_patrols(served: Served) -> None:
    with served.env.factory() as session, session.begin():
        session.add(Run(kind="patrol", as_of=NOW.date(), started_at=datetime(2026, 11, 27, 2, 0),
                        finished_at=datetime(2026, 11, 27, 2, 40), status="partial",
                        reason="站点01 超时", targets=["示范区政府网"]))
    with served.client() as client:
        login(client, "office")
        html = client.get("/runs").text
    assert "部分完成" in html and "站点01 超时" in html and "2026-11-27 02:40" in html


def test_runs_page_shows_a_killed_patrol_as_interrupted(served: Served) -> None:
    from store import runs
    from tests.store.test_runs import dead_pid

    here = runs.this_process()
    with served.env.factory() as session, session.begin():
        for name, pid in (("killed-site", dead_pid()), ("working-site", here.pid)):
            runs.start_run(session, kind="patrol", as_of=NOW.date(), now=NOW, targets=[name],
                           process=runs.Process(pid, here.host))
    with served.client() as client:
        login(client, "office")
        html = client.get("/runs").text
    rows = {name: row for row in html.split("<tr class=")
            for name in ("killed-site", "working-site") if name in row}
    assert '"run-interrupted"' in rows["killed-site"] and "已中断" in rows["killed-site"]
    assert "已不在运行" in rows["killed-site"]
    assert '"run-running"' in rows["working-site"] and "进行中" in rows["working-site"]


def test_site_scorecard_fails_on_open_veto_item(served: Served) -> None:
    with served.client() as client:
        login(client, "office")
        html = client.get("/sites/示范区政府网").text
    assert '<span class="verdict fail">不合格</span>' in html
    assert "泄露" in html  # the veto item's rule shows in the per-rule table


def test_site_verdict_is_the_same_for_a_unit_user(served: Served) -> None:
    # 教育局 sees one open deduct link item; the site has another unit's open veto item.
    with served.client() as client:
        login(client, "jiaoyu")
        html = client.get("/sites/示范区政府网").text
    assert '<span class="verdict fail">不合格</span>' in html


def test_unknown_site_is_404(served: Served) -> None:
    with served.client() as client:
        login(client, "office")
        assert client.get("/sites/没有这个网站").status_code == 404
        login(client, "jiaoyu")
        assert client.get("/sites/没有这个网站").status_code == 404


def test_site_page_shows_the_score(served: Served) -> None:
    with served.client() as client:
        login(client, "office")
        html = client.get("/sites/示范区政府网").text
    assert "得分" in html


def test_link_evidence_shows_status_failure_and_sources(served: Served) -> None:
    with served.client() as client:
        login(client, "office")
        html = client.get(f"/items/{served.env.ids.link}").text
    assert "访问结果：页面不存在(404)" in html and "HTTP 状态" not in html
    assert "出现在以下页面（共 1 个页面）" in html and "链接文字：“实施方案”" in html
    assert 'href="http://127.0.0.1/a.html"' in html


def test_item_page_explains_the_rule_from_its_docstring(served: Served) -> None:
    from checks.registry import explanation

    with served.client() as client:
        login(client, "office")
        html = client.get(f"/items/{served.env.ids.link}").text
    fix = explanation("link-broken")["如何整改"]
    assert "<h2>规则说明</h2>" in html and fix.splitlines()[0] in html


def test_admin_reassign_and_deadline_show_in_history(served: Served) -> None:
    item = served.env.ids.typo
    with served.client() as client:
        token = login(client, "office")
        client.post(f"/items/{item}/reassign", data={"unit": "教育局", "reason": "职责调整",
                                                     "csrf_token": token})
        client.post(f"/items/{item}/deadline", data={"deadline": "2026-12-31",
                                                     "reason": "需采购", "csrf_token": token})
        html = client.get(f"/items/{item}").text
        data = client.get(f"/api/items/{item}").json()
    assert data["unit"] == "教育局" and data["deadline"] == "2026-12-31"
    assert "改派" in html and "职责调整" in html and "需采购" in html


def test_bad_action_input_is_a_clear_error(served: Served) -> None:
    item = served.env.ids.typo
    with served.client() as client:
        token = login(client, "office")
        bad_date = client.post(f"/items/{item}/deadline",
                               data={"deadline": "明天", "reason": "x", "csrf_token": token})
        no_note = client.post(f"/items/{item}/fix", data={"note": " ", "csrf_token": token})
        wrong_state = client.post(f"/items/{item}/confirm", data={"csrf_token": token})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.text
    assert no_note.status_code == 400 and "必须填写说明" in no_note.text
    assert wrong_state.status_code == 409


def test_unit_user_cannot_dismiss_globally(served: Served) -> None:
    item = served.env.ids.typo
    with served.client() as client:
        token = login(client, "caizheng")
        response = client.post(f"/items/{item}/dismiss", data={
            "reason": "不是错字", "scope": "global", "csrf_token": token})
        assert response.status_code == 403
        assert client.get(f"/api/items/{item}").json()["state"] == "open"


def test_list_pages_keep_the_filter(served: Served) -> None:
    with served.client() as client:
        login(client, "office")
        html = client.get("/items?unit=财政局&page_size=1").text
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        assert found is not None
        second = client.get(found.group(1).replace("&amp;", "&")).text
    assert "第 1 / 3 页" in html and "unit=%E8%B4%A2%E6%94%BF%E5%B1%80" in found.group(1)
    assert "第 2 / 3 页" in second and "共 3 条" in second


def test_settings_units_offered_for_reassignment(served: Served) -> None:
    assert {u.name for u in make_settings("sqlite://").units} == {"财政局", "教育局"}
    with served.client() as client:
        login(client, "office")
        html = client.get(f"/items/{served.env.ids.typo}").text
    assert '<option value="教育局">' in html


def test_security_incidents_come_first_in_their_own_block(served: Served) -> None:
    from tests.web.conftest import add_item

    with served.env.factory() as session:
        dark = add_item(session, 90, rule="security-dark-link", severity="veto",
                        message="隐藏的外部链接“百家乐”", target="http://bet.example/")
        session.commit()
    with served.client() as client:
        login(client, "office")
        html = client.get("/items").text
        other = client.get("/items?rule=wording-typo").text
    block = html.split('class="security-incidents"', 1)
    assert len(block) == 2 and f'data-id="{dark}"' in block[1].split("</section>", 1)[0]
    assert html.index("security-incidents") < html.index('<table class="items">')
    assert "security-incidents" not in other
