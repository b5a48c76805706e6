"""``xunwang check-text``: the pre-publication check of drafts (RULES.md "Pre-publication check")."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from checks.model import SEVERITY_LABELS
from checks.pretext import TextFinding, check_text
from checks.runner import load_lexicon
from core.clock import local_now
from core.errors import XunwangError
from core.settings import default_config_path, load_settings
from crawler.extract.draft import read_draft
from xunwang.commands.options import as_of_option, parse_as_of

SEVERITY_ORDER = ("warn", "deduct", "veto")


def register(group: click.Group) -> None:
    group.add_command(check_text_command)


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise XunwangError(f"{name}：无法读取（{error.strerror or error}）") from error


def report(name: str, found: list[TextFinding]) -> str:
    """The readable report of one input: each hit with its line, context and suggestion."""
    shown = "标准输入" if name == "-" else name
    if not found:
        return f"{shown}：未发现问题。"
    lines = [f"{shown}：发现 {len(found)} 个问题"]
    for hit in found:
        label = SEVERITY_LABELS.get(hit.severity, hit.severity)
        lines.append(f"  第 {hit.line} 行第 {hit.column} 列 [{label}] {hit.message}")
        if hit.context:
            lines.append(f"      上下文：{hit.context}")
        if hit.suggestion:
            lines.append(f"      建议：{hit.suggestion}")
    return "\n".join(lines)


@click.command("check-text")
@click.argument("files", nargs=-1, required=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="xunwang.toml 配置文件（词库、白名单）；不需要数据库。")
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（每个问题一个对象）。")
@click.option("--fail-on", type=click.Choice(SEVERITY_ORDER), default=None,
              help="发现该严重程度或更严重的问题时退出码为 1。")
def check_text_command(files: tuple[str, ...], config_path: str | None, as_of: str | None,
                       as_json: bool, fail_on: str | None) -> None:
    """发布前检查稿件：错敏词、隐私号码等全部正文规则。

    FILE 可以是 UTF-8 文本、HTML、.docx 或 .pdf 文件，“-” 表示从标准输入读取。按在监测
    时间点（默认今天）发布的页面检查；发现问题也以 0 退出（除非用 --fail-on），无法读取
    输入时退出码为 2。

    示例：

        xunwang check-text 通知.docx
        cat draft.html | xunwang check-text - --json
    """
    # only the lexicon settings count: no database is opened or created
    settings = load_settings(config_path or default_config_path())
    day = parse_as_of(as_of, local_now(settings.schedule.timezone).date())
    lexicon = load_lexicon(settings)
    results: list[dict[str, object]] = []
    failed: list[str] = []
    worst = -1
    for name in files:
        try:
            text, _kind = read_draft(_read(name), name)
        except XunwangError as error:
            failed.append(str(error))
            click.echo(f"错误: {error}", err=True)
            continue
        found = check_text(text, settings, day, lexicon=lexicon)
        worst = max([worst, *(SEVERITY_ORDER.index(f.severity) for f in found
                              if f.severity in SEVERITY_ORDER)])
        if as_json:
            results.extend(f.to_json(name) for f in found)
        else:
            click.echo(report(name, found))
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    if failed:
        raise SystemExit(2)
    if fail_on and worst >= SEVERITY_ORDER.index(fail_on):
        raise SystemExit(1)
