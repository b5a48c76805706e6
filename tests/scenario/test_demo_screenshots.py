"""`make demo` ends with items that show screenshots: the demo command's own patrol takes
them, says where they are, and every one of them has its hit outlined."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from xunwang.cli import main

# Each kind of finding the demo plants that a picture explains.
PHOTOGRAPHED = {"wording-severe", "wording-outdated", "wording-sensitive", "wording-typo",
                "wording-suspect", "privacy-id-number", "privacy-phone", "privacy-bank-card",
                "column-blank", "column-stale", "homepage-stale"}


@pytest.mark.slow
def test_demo_ends_with_items_that_show_screenshots(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--folder", str(folder), "--articles", "150",
                                       "--as-of", "2026-11-27"])
    assert result.exit_code == 0, result.output
    assert "个问题附有页面截图" in result.output
    with sqlite3.connect(folder / "xunwang.db") as db:
        rows = db.execute(
            "select s.rule, s.outlined, s.path, s.thumb, i.id from screenshots s "
            "join items i on i.fingerprint = s.fingerprint").fetchall()
    assert {rule for rule, *_ in rows} == PHOTOGRAPHED
    assert all(outlined for _, outlined, *_ in rows)
    for _, _, path, thumb, item_id in rows:
        assert (folder / "shots" / path).is_file() and (folder / "shots" / thumb).is_file()
        assert f"/items/{item_id}" in result.output or len(rows) > 3
