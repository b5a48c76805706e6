from __future__ import annotations

from click.testing import CliRunner

from checks.registry import RULES
from xunwang.cli import main


def test_rules_command_lists_every_rule_with_severity_and_indicator() -> None:
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0, result.output
    header, *lines = result.output.splitlines()
    assert header.startswith("编号") and "严重程度" in header and "指标" in header
    assert len(lines) == len(RULES)
    for line, item in zip(lines, RULES, strict=True):
        assert line.startswith(item.id + " ")
        assert f"（{item.severity}）" in line and item.indicator in line and item.title in line


def test_rules_command_explain_prints_the_full_doc() -> None:
    result = CliRunner().invoke(main, ["rules", "--explain", "privacy-id-number"])
    assert result.exit_code == 0
    assert "单项否决（veto）" in result.output
    assert "## 如何整改 How to fix" in result.output and "GB 11643" in result.output


def test_rules_command_explain_unknown_id_is_one_line_error() -> None:
    result = CliRunner().invoke(main, ["rules", "--explain", "no-such-rule"])
    assert result.exit_code == 2
    assert result.output.strip() == "错误: no rule 'no-such-rule'; run `xunwang rules` for the list"
