"""``xunwang items``, ``xunwang items close`` and ``xunwang digest`` through CliRunner."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from store.models import Digest, Item, ItemEvent
from store.session import make_engine, make_sessionmaker
from xunwang.cli import main

NOW = datetime(2026, 11, 27, 8)


def _seed(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        rows = {
            "typo": Item(fingerprint="a", rule="wording-typo", severity="deduct",
                         site="示例区政府", url="http://127.0.0.1/a.html", text="按装",
                         message="错别字“按装”", state="open", unit="财政局",
                         deadline=date(2026, 11, 20), first_seen=date(2026, 11, 1),
                         last_seen=date(2026, 11, 27), updated_at=NOW, evidence={}),
            "stale": Item(fingerprint="b", rule="account-stale", severity="veto",
                          account="示例公众号", url="http://127.0.0.1/wx/",
                          message="账号 15 天未更新", state="open", unit="宣传部",
                          deadline=date(2026, 12, 2), first_seen=date(2026, 11, 27),
                          last_seen=date(2026, 11, 27), updated_at=NOW, evidence={}),
        }
        session.add_all(rows.values())
        session.flush()
        ids = {k: v.id for k, v in rows.items()}
    engine.dispose()
    return ids


def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "xunwang.toml"
    path.write_text(
        f'[db]\nurl = "{url}"\n[mail]\nsmtp_host = ""\noffice_email = "office@example.test"\n'
        '[[units]]\nname = "财政局"\nemail = "czj@example.test"\n'
        '[[units]]\nname = "宣传部"\nemail = "xcb@example.test"\n',
        encoding="utf-8",
    )
    return path


def test_cli_items_json_lists_contract_fields(sqlite_url: str) -> None:
    ids = _seed(sqlite_url)
    result = CliRunner().invoke(main, ["items", "--db", sqlite_url, "--json",
                                       "--as-of", "2026-11-27"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [d["id"] for d in data] == [ids["typo"], ids["stale"]]
    assert data[0]["site"] == "示例区政府" and data[0]["text"] == "按装"
    assert data[0]["overdue"] is True and data[1]["account"] == "示例公众号"
    assert data[1]["deadline"] == "2026-12-02" and data[1]["state"] == "open"


def test_cli_items_filters_and_table(sqlite_url: str) -> None:
    ids = _seed(sqlite_url)
    result = CliRunner().invoke(main, ["items", "--db", sqlite_url, "--overdue",
                                       "--as-of", "2026-11-27"])
    assert result.exit_code == 0, result.output
    assert str(ids["typo"]) in result.output and "示例公众号" not in result.output
    assert "共 1 项" in result.output and "超期" in result.output
    unit = CliRunner().invoke(main, ["items", "--db", sqlite_url, "--unit", "宣传部", "--json"])
    assert [d["id"] for d in json.loads(unit.output)] == [ids["stale"]]


def test_cli_items_close_marks_fixed_with_note(sqlite_url: str) -> None:
    ids = _seed(sqlite_url)
    runner = CliRunner()
    result = runner.invoke(main, ["items", "close", str(ids["typo"]), "--note", "已改为安装",
                                  "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as session:
        item = session.get(Item, ids["typo"])
        assert item.state == "fixed_pending" and item.fix_note == "已改为安装"
        event = session.scalars(select(ItemEvent)).one()
        assert (event.actor, event.action, event.note) == ("cli", "mark_fixed", "已改为安装")
    engine.dispose()
    again = runner.invoke(main, ["items", "close", str(ids["typo"]), "--note", "x",
                                 "--db", sqlite_url])
    assert again.exit_code == 2 and "已整改待复核" in again.output
    missing = runner.invoke(main, ["items", "close", "9999", "--note", "x", "--db", sqlite_url])
    assert missing.exit_code == 2 and "9999" in missing.output


def test_cli_digest_outbox_then_nothing_twice(sqlite_url: str, tmp_path: Path) -> None:
    _seed(sqlite_url)
    config = _config(tmp_path, sqlite_url)
    out = tmp_path / "outbox"
    args = ["digest", "--config", str(config), "--as-of", "2026-11-27", "--outbox", str(out)]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert len(list(out.glob("*.eml"))) == 3
    assert "已发送" in first.output
    second = CliRunner().invoke(main, args)
    assert second.exit_code == 0 and "此前已发送" in second.output
    assert len(list(out.glob("*.eml"))) == 3
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as session:
        assert len(session.scalars(select(Digest)).all()) == 3
    engine.dispose()


def test_cli_digest_send_without_smtp_is_one_line_error(sqlite_url: str, tmp_path: Path) -> None:
    config = _config(tmp_path, sqlite_url)
    result = CliRunner().invoke(main, ["digest", "--config", str(config), "--send"])
    assert result.exit_code == 2 and "smtp_host" in result.output
    unknown = CliRunner().invoke(main, ["digest", "--config", str(config), "--unit", "无此单位",
                                        "--preview"])
    assert unknown.exit_code == 2 and "无此单位" in unknown.output
