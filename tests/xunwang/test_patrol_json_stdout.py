"""Issue 14 CLI: `patrol --json -` writes only JSON to stdout."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from click.testing import CliRunner

from xunwang.cli import main


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_patrol_json_to_stdout_is_only_json(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    result = CliRunner().invoke(main, ["patrol", url, "--db", f"sqlite:///{tmp_path}/x.db",
                                       "--json", "-", "--as-of", "2026-11-27"])
    assert result.exit_code in (0, 2), result.output
    document = json.loads(result.stdout)
    assert set(document) >= {"run", "findings"}
    assert "【评分卡】" in result.stderr
