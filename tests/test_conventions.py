"""Meta-tests of the project's habits: one place reads the environment, rules take the clock."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "xunwang", "crawler", "checks", "rectification", "store", "reports", "scheduler", "web")


def _sources(*packages: str) -> list[Path]:
    return [p for pkg in packages for p in (ROOT / pkg).rglob("*.py")]


def test_only_settings_reads_the_environment() -> None:
    pattern = re.compile(r"os\.environ|os\.getenv")
    readers = [str(p.relative_to(ROOT)) for p in _sources(*PACKAGES)
               if pattern.search(p.read_text("utf-8"))]
    assert readers == ["core/settings.py"]


def test_rules_and_rectification_never_read_the_clock() -> None:
    pattern = re.compile(r"datetime\.now\(|date\.today\(|time\.time\(")
    offenders = [str(p.relative_to(ROOT)) for p in _sources("checks", "rectification")
                 if pattern.search(p.read_text("utf-8"))]
    assert offenders == []


def test_every_command_module_is_registered() -> None:
    from xunwang.cli import COMMAND_MODULES

    modules = {f"xunwang.commands.{p.stem}" for p in (ROOT / "xunwang" / "commands").glob("*.py")
               if p.stem not in ("__init__", "options")}
    assert modules == {module.__name__ for module in COMMAND_MODULES}
