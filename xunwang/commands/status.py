"""``xunwang status``: last and next run of each job, failures, availability per site."""

from __future__ import annotations

import json

import click

from core.clock import system_clock
from scheduler.status import collect_status, format_status
from store.migrate import upgrade
from store.session import make_engine
from xunwang.commands.options import build_settings, config_options


def register(group: click.Group) -> None:
    group.add_command(status)


@click.command()
@config_options
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def status(config_path: str | None, db_url: str | None, as_json: bool) -> None:
    """显示服务的任务（上次和下次运行、失败）以及各网站近 7 天的探测情况。

    示例：

        xunwang status --config xunwang.toml --json
    """
    settings = build_settings(config_path, db_url)
    engine = make_engine(settings.db.url)
    try:
        upgrade(engine)
        report = collect_status(settings, engine, system_clock(settings.schedule.timezone)())
    finally:
        engine.dispose()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_status(report))
