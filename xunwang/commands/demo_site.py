"""``xunwang demo-site``: serve the demo site group and write its config and manifest."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import click

from xunwang.commands.options import as_of_option, parse_as_of
from xunwang.demo import STATES, DemoSite


def register(group: click.Group) -> None:
    group.add_command(demo_site)


@click.command("demo-site")
@click.option("--port", default=0, type=click.IntRange(0, 65530),
              help="五个连续端口中的第一个（0 表示任选空闲端口）。")
@click.option("--state", type=click.Choice(STATES), default="initial", show_default=True)
@click.option("--articles", default=300, show_default=True, type=click.IntRange(150, 1_000_000))
@as_of_option
@click.option("--benchmark", is_flag=True, help="每个响应都带 LinkChecker 头（基准测试用）。")
@click.option("--write-config", type=click.Path(dir_okay=False), default=None,
              help="把演示用的完整 xunwang.toml 写入 FILE。")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False), default=None,
              help="把预期的发现（JSON）写入 FILE。")
def demo_site(port: int, state: str, articles: int, as_of: str | None, benchmark: bool,
              write_config: str | None, manifest_path: str | None) -> None:
    """启动演示用的政府网站和账号镜像，按 Ctrl-C 结束。

    示例：

        xunwang demo-site --port 8700 --as-of 2026-11-27 --write-config demo.toml
    """
    site = DemoSite(state=state, as_of=parse_as_of(as_of, date.today()), articles=articles,
                    port=port, benchmark=benchmark).start()
    try:
        if write_config:
            Path(write_config).write_text(
                site.config_toml(db_url="sqlite:///demo.db", outbox="outbox"), encoding="utf-8")
        if manifest_path:
            Path(manifest_path).write_text(
                json.dumps(site.manifest(), ensure_ascii=False, indent=2), encoding="utf-8")
        click.echo(f"演示站点已启动（状态 {site.state}，监测时间点 {site.as_of}）：")
        for entry in site.sites:
            click.echo(f"  网站 {entry['name']}: {entry['url']}")
        for entry in site.accounts:
            click.echo(f"  账号 {entry['name']}（{entry['platform']}）: {entry['url']}")
        click.echo(f"  外部链接目标: {site.base('external')}")
        click.echo("按 Ctrl-C 停止。")
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("已停止。")
    finally:
        site.stop()
