"""The item page's evidence in office Chinese: sources, failures, letters, every rule's keys."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest

from checks.model import (
    AccountSnapshot,
    Column,
    Document,
    Entry,
    Finding,
    Letter,
    LinkSource,
    LinkTarget,
    Post,
    Probe,
    SiteSnapshot,
)
from checks.runner import run_checks
from core.settings import load_settings
from rectification.views import ItemView
from tests.web.conftest import AS_OF, Served, add_item, login
from web.evidence import evidence_view
from web.evidence_labels import FAILURE_LABELS

HOME = "http://127.0.0.1/"
# Failure classes of crawler/outcome.py and scheduler/probe.py.
FAILURES = ("404", "410", "400", "403", "429", "5xx", "soft404", "dns", "refused", "timeout",
            "tls", "error", "too-large", "robots", "4xx", "redirect-loop", "too-many-redirects",
            "refresh-loop", "bomb", "trap", "ignored")


def _evidence_text(html: str) -> str:
    """The visible text of the page's evidence section."""
    section = html[html.index('<section class="evidence">'):]
    section = section[: section.index("</section>")]
    return re.sub(r"<[^>]+>", " ", section)


def _item_page(client: httpx.Client, item_id: int) -> str:
    response = client.get(f"/items/{item_id}")
    assert response.status_code == 200, response.text
    return response.text


def _view(rule: str, evidence: dict[str, Any]) -> ItemView:
    return ItemView(
        id=1, rule=rule, rule_title="", severity="deduct", state="open", state_label="待整改",
        regressions=0, unit="", deadline=None, overdue=False, due_soon=False,
        first_seen=AS_OF, last_seen=AS_OF, site="示范区政府网", account=None, url=HOME,
        target=None, text=None, column=None, suggestion=None, message="", evidence=evidence,
    )


def test_link_evidence_lists_source_pages_with_anchor_and_count(served: Served) -> None:
    pages = [f"http://127.0.0.1/news/{n:03d}.html" for n in range(314)]
    target = LinkTarget(
        url="http://127.0.0.1/old/plan.pdf", failure="404", status=404,
        in_scope=True, sources=tuple(LinkSource(p, "a", "2026年工作计划") for p in pages),
    )
    found = run_checks(SiteSnapshot("示范区政府网", HOME, True, targets=(target,)), _settings(), AS_OF)
    finding = next(f for f in found if f.rule == "link-broken")
    with served.env.factory() as session, session.begin():
        item = add_item(session, 20, rule=finding.rule, target=finding.target,
                        evidence=finding.evidence, message=finding.message)
    with served.client() as client:
        login(client, "office")
        text = _evidence_text(_item_page(client, item))
    assert "出现在以下页面（共 314 个页面，列出前 50 个）" in text
    assert text.count("http://127.0.0.1/news/") == 50
    assert "链接文字：“2026年工作计划”" in text
    assert "访问结果：页面不存在(404)" in text
    assert "HTTP 状态" not in text and "失败类型" not in text and text.count("404") == 1


@pytest.mark.parametrize("failure", FAILURES)
def test_every_failure_class_reads_in_chinese(failure: str) -> None:
    status = int(failure) if failure.isdigit() else 503 if failure == "5xx" else None
    view = evidence_view(_view("link-suspect", {"status": status, "failure": failure}))
    assert view.outcome.startswith(FAILURE_LABELS[failure])
    assert re.search(r"[\u4e00-\u9fff]", view.outcome)
    if status:  # the status number once, even when the label already names it
        assert view.outcome.count(str(status)) == 1
    else:
        assert view.outcome == FAILURE_LABELS[failure]


def test_soft_404_names_the_status_the_server_gave() -> None:
    view = evidence_view(_view("link-broken", {"status": 200, "failure": "soft404"}))
    assert view.outcome == "软404(页面显示不存在)，HTTP 200"


def test_letter_status_is_labelled_as_letter_status(served: Served) -> None:
    evidence = {"asked": "2026-05-02", "replied": None, "days": 209, "limit_days": 90,
                "status": "办理中"}
    with served.env.factory() as session, session.begin():
        item = add_item(session, 21, rule="interaction-overdue", severity="veto",
                        evidence=evidence)
    with served.client() as client:
        login(client, "office")
        text = _evidence_text(_item_page(client, item))
    assert "HTTP" not in text and "访问结果" not in text
    for label, value in (("留言状态", "办理中"), ("提问日期", "2026-05-02"),
                         ("答复日期", "尚未答复"), ("历时天数", "209"), ("答复时限（天）", "90")):
        assert re.search(rf"{re.escape(label)}\s*{re.escape(value)}", text), label


def _settings() -> Any:
    return load_settings(None, environ={}, overrides={
        "sites": [{"name": "示范区政府网", "url": HOME}],
        "accounts": [{"name": "示范区发布", "platform": "wechat", "url": "http://127.0.0.1/mp"}],
    })


def _site_findings() -> list[Finding]:
    old = AS_OF - timedelta(days=400)
    stale = tuple(Entry(f"旧闻{n}", f"{HOME}n{n}.html", old) for n in range(3))
    text = ("中华民国总统讲话。国务院总理李克强指出。一带一路战略。请按装设备。"
            "截止2023年底完成。申请人身份证号 11010519491231002X，手机 13912345678。")
    snapshot = SiteSnapshot(
        "示范区政府网", HOME, True, home_items=stale, footer_text="主办：示范区人民政府",
        documents=(Document(f"{HOME}doc.html", "page", "通知", text, date(2026, 10, 1)),
                   Document(f"{HOME}f.pdf", "attachment", "附件", text, None, (HOME,))),
        targets=(LinkTarget(f"{HOME}gone.html", "404", 404, True,
                            (LinkSource(HOME, "a", "办事指南"),)),
                 LinkTarget("http://127.0.0.2/x", "timeout", None, False,
                            (LinkSource(HOME, "img", ""),), 3, (f"{HOME}r",))),
        columns=(*(Column(f"{HOME}news{n}/", f"动态{n}", False, stale) for n in range(5)),
                 Column(f"{HOME}notice/", "通知公告", False, stale),
                 Column(f"{HOME}plan/", "规划计划", False, stale, False),
                 Column(f"{HOME}empty/", "政策解读", True, (), True, "暂无信息")),
        letters=(Letter(f"{HOME}l1.html", "路灯不亮", AS_OF - timedelta(days=200), None, "办理中"),
                 Letter(f"{HOME}l2.html", "噪音", AS_OF - timedelta(days=300),
                        AS_OF - timedelta(days=100), "已回复")),
        probes=tuple(Probe(datetime(2026, 11, 26, h % 24, 0), h % 3 != 0,
                           None if h % 3 else "timeout") for h in range(30)),
    )
    return run_checks(snapshot, _settings(), AS_OF)


def _account_findings() -> list[Finding]:
    post = Post("http://127.0.0.1/mp/1", "旧文", datetime(2025, 1, 1, 9, 0), "请按装设备")
    snapshot = AccountSnapshot(name="示范区发布", platform="wechat", url="http://127.0.0.1/mp", status="ok",
                               posts=(post,))
    return run_checks(snapshot, _settings(), AS_OF)


def test_no_evidence_key_reaches_the_page_for_any_rule(served: Served) -> None:
    findings = _site_findings() + _account_findings()
    rules = {f.rule for f in findings}
    assert {"site-unreachable", "homepage-stale", "column-stale", "column-blank", "columns-veto",
            "interaction-overdue", "link-broken", "link-suspect", "site-identity",
            "wording-severe", "wording-outdated", "wording-sensitive", "wording-typo",
            "wording-suspect", "privacy-id-number", "privacy-phone", "account-stale",
            "account-zombie"} <= rules
    with served.env.factory() as session, session.begin():
        ids = {add_item(session, 100 + n, rule=f.rule, severity=str(f.severity),
                        evidence=f.evidence, message=f.message, text=f.text): f
               for n, f in enumerate(findings)}
    with served.client() as client:
        login(client, "office")
        for item_id, finding in ids.items():
            text = _evidence_text(_item_page(client, item_id))
            leaked = [k for k in finding.evidence if re.search(rf"(?<![A-Za-z_]){k}(?![A-Za-z_])", text)]
            assert not leaked, (finding.rule, leaked, text)
            assert "/checks/" not in text and "builtin.tsv" not in text, finding.rule
            assert "before a" not in text and "[" not in text and "true" not in text.lower()
            assert "其他信息" not in text, (finding.rule, text)


def test_rule_specific_values_are_formatted() -> None:
    by_rule: dict[str, Finding] = {}
    for finding in _site_findings() + _account_findings():
        by_rule.setdefault(finding.rule, finding)
    facts = {rule: dict(evidence_view(_view(rule, dict(f.evidence))).facts)
             for rule, f in by_rule.items()}
    assert facts["column-stale"]["栏目类型"] in {"动态要闻类", "通知公告政策类", "应更新类"}
    assert facts["column-stale"]["一级栏目"] in {"是", "否"}
    assert facts["link-broken"]["首页上的链接"] == "是"
    assert facts["site-identity"]["缺少的标识"] == "网站标识码、ICP备案号、公安机关备案号、党政机关网站标识"
    assert facts["wording-typo"]["词库"] == "内置词库"
    assert facts["wording-suspect"]["说明"].startswith("用于日期之前")
    assert facts["account-stale"]["平台"] == "微信公众号"
    assert facts["site-unreachable"]["失败原因"].startswith("连接超时")


def test_user_lexicon_shows_file_name_not_path() -> None:
    view = evidence_view(_view("wording-typo", {"lexicon": "/srv/xunwang/conf/本单位词库.tsv:12"}))
    assert dict(view.facts)["词库"] == "本单位词库.tsv 第 12 行"


def test_rule_filter_offers_titles_with_ids_as_values(served: Served) -> None:
    with served.client() as client:
        login(client, "office")
        html = client.get("/items").text
    select = html[html.index('<select name="rule">'):]
    select = select[: select.index("</select>")]
    assert '<option value="link-broken">链接不可用</option>' in select
    assert '<option value="wording-typo">错别字</option>' in select
    assert ">link-broken<" not in select

