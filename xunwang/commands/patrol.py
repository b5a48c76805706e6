"""``xunwang patrol``: crawl, run every rule, store the run and its findings, print a summary."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core.clock import local_now
from core.settings import default_config_path, sites_from_urls
from reports.findings_json import findings_document
from reports.progress import ProgressLine
from reports.summary import patrol_summary, scorecards_text, unreachable_sites
from scheduler.patrol import run_patrol
from xunwang.commands.options import as_of_option, build_settings, config_options, parse_as_of

SEVERITY_ORDER = ("warn", "deduct", "veto")


def register(group: click.Group) -> None:
    group.add_command(patrol)


@click.command()
@click.argument("urls", nargs=-1)
@config_options
@as_of_option
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None,
              help="把本次巡检及其发现写成 JSON 文件；'-' 表示标准输出（此时摘要改写到标准错误）。")
@click.option("--fail-on", type=click.Choice(SEVERITY_ORDER), default=None,
              help="发现该严重程度或更严重的问题时以状态 1 退出（供脚本使用）。")
@click.option("--site", "only_sites", multiple=True, help="只巡检配置中的这个网站（可重复）。")
@click.option("--account", "only_accounts", multiple=True, help="只巡检这个账号（可重复）。")
def patrol(urls: tuple[str, ...], config_path: str | None, db_url: str | None,
           as_of: str | None, json_path: str | None, fail_on: str | None,
           only_sites: tuple[str, ...], only_accounts: tuple[str, ...]) -> None:
    """巡检网站和账号：抓取、按全部规则检查、更新整改清单。

    只要巡检运行了就以 0 退出，无论发现什么；无法运行时非 0（或用 --fail-on 时，
    发现达到该严重程度的问题以 1 退出）。

    示例：

        xunwang patrol --config xunwang.toml --as-of 2026-11-27 --json findings.json
    """
    if not urls and not config_path and default_config_path() is None:
        raise click.UsageError("give URLs or --config FILE (or XUNWANG_CONFIG, ./xunwang.toml)")
    extra = {"sites": sites_from_urls(list(urls))} if urls else {}
    settings = build_settings(config_path, db_url, **extra)
    day = parse_as_of(as_of, local_now(settings.schedule.timezone).date())
    progress = ProgressLine()
    selected_sites = list(only_sites) or (None if not only_accounts else [])
    selected_accounts = list(only_accounts) or (None if not only_sites else [])
    result = run_patrol(settings, as_of=day, sites=selected_sites,
                        accounts=selected_accounts, on_progress=progress)
    progress.close()
    summary = patrol_summary(result, scorecards_text(result.findings, settings,
                                                     unreachable_sites(result)))
    click.echo(summary, err=json_path == "-")  # `--json -`: stdout holds only the JSON
    if json_path:
        text = json.dumps(findings_document(result), ensure_ascii=False, indent=2)
        if json_path == "-":
            click.echo(text)
        else:
            Path(json_path).write_text(text + "\n", encoding="utf-8")
    if result.status == "failed":
        raise SystemExit(2)
    if fail_on and any(
        SEVERITY_ORDER.index(str(f.severity)) >= SEVERITY_ORDER.index(fail_on)
        for f in result.findings
    ):
        raise SystemExit(1)
