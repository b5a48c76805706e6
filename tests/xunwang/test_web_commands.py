"""``xunwang users`` and ``xunwang export`` through click's CliRunner, on a real database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
from click.testing import CliRunner
from openpyxl import load_workbook

from store.session import make_engine, make_sessionmaker, transaction
from tests.web.conftest import seed
from web.users import authenticate
from xunwang.commands import export, users


def _cli() -> click.Group:
    group = click.Group()
    users.register(group)
    export.register(group)
    return group


def test_users_add_reads_password_from_stdin_and_hashes_it(sqlite_url: str) -> None:
    result = CliRunner().invoke(
        _cli(), ["users", "add", "caizheng", "--role", "unit", "--unit", "财政局",
                 "--password-stdin", "--db", sqlite_url],
        input="long-enough-pw\n",
    )
    assert result.exit_code == 0, result.output
    engine = make_engine(sqlite_url)
    with transaction(make_sessionmaker(engine)) as session:
        assert authenticate(session, "caizheng", "long-enough-pw") is not None
        assert authenticate(session, "caizheng", "wrong-password") is None
    engine.dispose()
    listed = CliRunner().invoke(_cli(), ["users", "list", "--db", sqlite_url])
    assert "caizheng\tunit\t财政局" in listed.output
    assert listed.output.splitlines()[0] == "用户名\t角色\t责任单位"


def test_users_add_unit_user_without_unit_is_refused(sqlite_url: str) -> None:
    result = CliRunner().invoke(
        _cli(), ["users", "add", "x", "--role", "unit", "--password-stdin", "--db", sqlite_url],
        input="long-enough-pw\n",
    )
    assert result.exit_code != 0
    assert "--unit" in str(result.exception) + result.output


def test_export_writes_filtered_xlsx_and_csv(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    with transaction(make_sessionmaker(engine)) as session:
        seed(session)
    engine.dispose()
    xlsx, csv_path = tmp_path / "list.xlsx", tmp_path / "list.csv"
    result = CliRunner().invoke(_cli(), [
        "export", "--db", sqlite_url, "--xlsx", str(xlsx), "--csv", str(csv_path),
        "--unit", "教育局", "--as-of", "2026-11-27",
    ])
    assert result.exit_code == 0, result.output
    from reports.export import HEADERS

    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))[2:]
    assert sorted(row[HEADERS.index("责任单位")] for row in rows) == ["教育局", "教育局"]
    with csv_path.open(encoding="utf-8-sig") as handle:
        assert len(list(csv.reader(io.StringIO(handle.read())))) == 3


def test_export_without_output_is_a_one_line_error(sqlite_url: str) -> None:
    result = CliRunner().invoke(_cli(), ["export", "--db", sqlite_url])
    assert result.exit_code != 0
    assert "--xlsx" in str(result.exception)


def test_users_add_unknown_unit_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    config = tmp_path / "xunwang.toml"
    config.write_text('[[units]]\nname = "区教育局"\n[[units]]\nname = "区财政局"\n', encoding="utf-8")
    result = CliRunner().invoke(
        _cli(), ["users", "add", "li", "--role", "unit", "--unit", "区教育", "--password-stdin",
                 "--config", str(config), "--db", sqlite_url], input="long-enough-pw\n")
    assert result.exit_code != 0
    assert "区教育局、区财政局" in str(result.exception) + result.output
