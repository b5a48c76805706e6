"""Issue 14 config: `serve` refuses the README's example secret_key before starting."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from xunwang.cli import main


def test_serve_refuses_the_example_secret_key(tmp_path: Path) -> None:
    config = tmp_path / "xunwang.toml"
    config.write_text(f'[db]\nurl = "sqlite:///{tmp_path}/x.db"\n[web]\nsecret_key = "change-me"\n',
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--config", str(config)])
    assert result.exit_code == 2
    assert "web.secret_key is the example value" in result.output
    assert not (tmp_path / "x.db").exists()  # refused before anything started
