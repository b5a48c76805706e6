"""The pre-publication form and ``POST /api/check`` with API tokens, over HTTP."""

from __future__ import annotations

import io
import json
from datetime import datetime

import docx
from click.testing import CliRunner
from sqlalchemy import select

from store.models import ApiToken
from tests.web.conftest import NOW, Served, login
from web.tokens import add_token, revoke_token
from xunwang.cli import main

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _token(served: Served, name: str = "cms") -> str:
    with served.env.factory() as session, session.begin():
        return add_token(session, name, NOW)[1]


def test_form_highlights_hits_in_the_pasted_text(served: Served) -> None:
    with served.client() as client:
        token = login(client, "caizheng")
        form = client.get("/check")
        assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
        html = client.post("/check", data={"text": "第一行\n请尽快按装，电话13812345678。",
                                           "csrf_token": token}).text
    draft = html.split('<pre class="draft">')[1].split("</pre>")[0]
    assert '<mark class="sev-deduct"' in draft and ">按装</a></mark>" in draft
    assert ">138****5678</a></mark>" in draft
    # the full number is only in the editor's own textarea, for editing, never in the result
    assert "13812345678" not in html.split("</textarea>")[1]
    assert "第 2 行第 4 列" in html and "建议改为：<strong>安装</strong>" in html


def test_form_reads_an_uploaded_docx_and_refuses_empty_or_broken_input(served: Served) -> None:
    with served.client() as client:
        token = login(client, "office")
        html = client.post("/check", data={"csrf_token": token},
                           files={"file": ("通知.docx", _docx("标题", "台湾总统选举"), DOCX)}).text
        assert "检查结果：通知.docx" in html and "第 2 行第 1 列" in html
        assert '<mark class="sev-veto"' in html
        empty = client.post("/check", data={"text": "  ", "csrf_token": token})
        assert empty.status_code == 400 and "请粘贴文本或选择要上传的文件" in empty.text
        broken = client.post("/check", data={"csrf_token": token},
                             files={"file": ("x.pdf", b"%PDF-1.4 garbage", "application/pdf")})
        assert broken.status_code == 400 and "附件无法读取" in broken.text
        no_csrf = client.post("/check", data={"text": "按装"})
        assert no_csrf.status_code == 403


def test_api_needs_a_valid_token(served: Served) -> None:
    with served.client() as client:
        assert client.post("/api/check", content="按装").status_code == 401
        wrong = client.post("/api/check", content="按装",
                            headers={"Authorization": "Bearer xw_not-a-token"})
        assert wrong.status_code == 401 and "令牌" in wrong.json()["error"]
        login(client, "office")  # a browser session is not an API token
        assert client.post("/api/check", content="按装").status_code == 401


def test_api_answers_with_the_contract_for_text_html_docx_and_json(served: Served) -> None:
    plain = _token(served)
    auth = {"Authorization": f"Bearer {plain}"}
    with served.client() as client:
        text = client.post("/api/check", content="第一行\n按装".encode(),
                           headers={**auth, "Content-Type": "text/plain; charset=utf-8"})
        assert text.status_code == 200
        assert text.json() == [{"rule": "wording-typo", "severity": "deduct", "text": "按装",
                                "suggestion": "安装", "message": text.json()[0]["message"],
                                "line": 2, "column": 1, "context": text.json()[0]["context"]}]
        page = client.post("/api/check", content="<p>一</p><p>近日台湾总统</p>".encode(),
                           headers={**auth, "Content-Type": "text/html"})
        assert [(f["rule"], f["line"], f["column"]) for f in page.json()] == [("wording-severe", 2, 3)]
        word = client.post("/api/check", content=_docx("甲", "乙", "电话 13912345678"),
                           headers={**auth, "Content-Type": DOCX})
        assert [(f["rule"], f["line"]) for f in word.json()] == [("privacy-phone", 3)]
        assert "13912345678" not in word.text
        body = client.post("/api/check", content=json.dumps({"text": "再接再励"}),
                           headers={**auth, "Content-Type": "application/json"})
        assert body.json()[0]["suggestion"] == "再接再厉"
        old = client.post("/api/check?as_of=2017-01-01", content="国家工商行政管理总局".encode(),
                          headers={**auth, "Content-Type": "text/plain"})
        assert old.json() == []
        bad = client.post("/api/check", content="按装".encode("gbk"),
                          headers={**auth, "Content-Type": "text/plain"})
        assert bad.status_code == 400 and "UTF-8" in bad.json()["error"]
    with served.env.factory() as session:
        stored = session.scalar(select(ApiToken).where(ApiToken.name == "cms"))
        assert stored is not None and stored.last_used_at == NOW
        assert plain not in stored.token_hash and len(stored.token_hash) == 64


def test_a_revoked_token_is_refused(served: Served) -> None:
    plain = _token(served, "old-cms")
    with served.env.factory() as session, session.begin():
        revoke_token(session, "old-cms", datetime(2026, 11, 27, 11, 0))
    with served.client() as client:
        refused = client.post("/api/check", content="按装",
                              headers={"Authorization": f"Bearer {plain}"})
    assert refused.status_code == 401


def test_tokens_cli_add_list_revoke_then_the_api_refuses(served: Served) -> None:
    url = served.env.settings.db.url
    runner = CliRunner()
    made = runner.invoke(main, ["tokens", "add", "trs-cms", "--db", url])
    assert made.exit_code == 0, made.output
    plain = made.stdout.strip()
    assert plain.startswith("xw_") and "只显示这一次" in made.stderr
    again = runner.invoke(main, ["tokens", "add", "trs-cms", "--db", url])
    assert again.exit_code == 2 and "已有名为" in again.stderr
    with served.client() as client:
        ok = client.post("/api/check", content="按装", headers={"Authorization": f"Bearer {plain}"})
        assert ok.status_code == 200 and ok.json()[0]["rule"] == "wording-typo"
        listed = runner.invoke(main, ["tokens", "list", "--db", url])
        assert "trs-cms\t有效" in listed.stdout and plain not in listed.stdout
        assert runner.invoke(main, ["tokens", "revoke", "trs-cms", "--db", url]).exit_code == 0
        assert "已撤销" in runner.invoke(main, ["tokens", "list", "--db", url]).stdout
        gone = client.post("/api/check", content="按装", headers={"Authorization": f"Bearer {plain}"})
        assert gone.status_code == 401
    unknown = runner.invoke(main, ["tokens", "revoke", "nope", "--db", url])
    assert unknown.exit_code == 2 and "没有名为 'nope' 的令牌" in unknown.stderr


def test_users_cli_passwd_and_disable(served: Served) -> None:
    url = served.env.settings.db.url
    runner = CliRunner()
    changed = runner.invoke(main, ["users", "passwd", "jiaoyu", "--password-stdin", "--db", url],
                            input="fresh-password-9\n")
    assert changed.exit_code == 0, changed.output
    short = runner.invoke(main, ["users", "passwd", "jiaoyu", "--password-stdin", "--db", url],
                          input="short\n")
    assert short.exit_code == 2 and "密码至少 8 个字符" in short.stderr
    with served.client() as client:
        login(client, "jiaoyu", "fresh-password-9")
    assert runner.invoke(main, ["users", "disable", "jiaoyu", "--db", url]).exit_code == 0
    assert "jiaoyu\tunit\t教育局\tdisabled" in runner.invoke(main, ["users", "list", "--db", url]).stdout
    last = runner.invoke(main, ["users", "disable", "office", "--db", url])
    assert last.exit_code == 2 and "最后一个可用的管理员" in last.stderr
    assert runner.invoke(main, ["users", "disable", "jiaoyu", "--enable", "--db", url]).exit_code == 0
