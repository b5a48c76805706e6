"""Issue 14 CLI: items show / confirm / dismiss / reassign / deadline, headers, Chinese help."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from store.models import Item
from store.session import make_engine, make_sessionmaker
from tests.xunwang.test_items_digest_cli import _config, _seed
from xunwang.cli import main


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _item(url: str, item_id: int) -> Item:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        item = session.get(Item, item_id)
        assert item is not None
        session.expunge(item)
    engine.dispose()
    return item


def test_items_show_prints_the_item_with_its_history(sqlite_url: str, tmp_path: Path) -> None:
    ids = _seed(sqlite_url)
    config = str(_config(tmp_path, sqlite_url))
    code, out = _run("items", "show", str(ids["typo"]), "--config", config,
                     "--as-of", "2026-11-27")
    assert code == 0, out
    assert f"问题 #{ids['typo']}" in out and "错别字“按装”" in out
    assert "状态：待整改" in out and "已超期" in out and "责任单位：财政局" in out
    assert _run("items", "show", "999", "--config", config)[0] == 2


def test_items_dismiss_reassign_deadline_confirm(sqlite_url: str, tmp_path: Path) -> None:
    ids = _seed(sqlite_url)
    config = str(_config(tmp_path, sqlite_url))
    code, out = _run("items", "reassign", str(ids["typo"]), "--unit", "不存在的局",
                     "--reason", "试", "--config", config)
    assert code == 2 and "没有名为「不存在的局」的责任单位" in out
    code, out = _run("items", "reassign", str(ids["typo"]), "--unit", "宣传部",
                     "--reason", "职责调整", "--config", config)
    assert code == 0, out
    assert _item(sqlite_url, ids["typo"]).unit == "宣传部"
    code, out = _run("items", "deadline", str(ids["typo"]), "2026-12-31", "--reason", "延期",
                     "--config", config)
    assert code == 0, out
    assert _item(sqlite_url, ids["typo"]).deadline.isoformat() == "2026-12-31"  # type: ignore[union-attr]
    code, out = _run("items", "dismiss", str(ids["stale"]), "--reason", "账号已注销",
                     "--config", config)
    assert code == 0, out
    assert _item(sqlite_url, ids["stale"]).state == "dismissed"  # the office dismisses at once
    code, out = _run("items", "confirm", str(ids["typo"]), "--config", config)
    assert code == 2 and "待确认" in out  # an open item needs no confirmation


def test_items_list_has_a_header_and_help_is_chinese(sqlite_url: str, tmp_path: Path) -> None:
    _seed(sqlite_url)
    config = str(_config(tmp_path, sqlite_url))
    code, out = _run("items", "--config", config, "--as-of", "2026-11-27")
    assert code == 0, out
    header = out.splitlines()[0]
    for column in ("编号", "状态", "严重程度", "责任单位", "整改时限", "规则", "位置", "问题"):
        assert column in header
    for command in (["items", "--help"], ["items", "show", "--help"], ["patrol", "--help"],
                    ["--help"]):
        code, text = _run(*command)
        assert code == 0
        assert "Show this message" not in text and "显示帮助" in text
        assert "The xunwang.toml file" not in text


def test_a_command_says_which_config_and_database_it_creates(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    result = CliRunner().invoke(main, ["items", "--db", f"sqlite:///{db}", "--json"])
    assert result.exit_code == 0, result.output
    assert f"新建数据库 {db}" in result.stderr and "配置文件" in result.stderr
    assert result.stdout.strip() == "[]"


def test_export_shows_an_office_close_as_manual(sqlite_url: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from reports.export import HEADERS

    ids = _seed(sqlite_url)
    config = str(_config(tmp_path, sqlite_url))
    code, out = _run("items", "close", str(ids["typo"]), "--verified", "--note", "线下已删除",
                     "--config", config)
    assert code == 0, out
    xlsx = tmp_path / "out.xlsx"
    assert _run("export", "--xlsx", str(xlsx), "--config", config)[0] == 0
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    [closed] = [r for r in rows[2:] if r[HEADERS.index("问题编号")] == ids["typo"]]
    assert closed[HEADERS.index("复核结果")] == "人工销号"
    assert closed[HEADERS.index("整改措施/销号说明")] == "人工销号：线下已删除"
    assert "财政局" not in str(rows[0][0]) and "全部责任单位" in str(rows[0][0])
