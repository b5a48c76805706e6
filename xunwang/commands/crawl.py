"""``xunwang crawl``: crawl sites and store what the rules need, without judging."""

from __future__ import annotations

import click

from core.clock import local_now
from core.settings import default_config_path, sites_from_urls
from reports.progress import ProgressLine
from reports.summary import crawl_summary
from scheduler.patrol import run_patrol
from xunwang.commands.options import as_of_option, build_settings, config_options, parse_as_of


def register(group: click.Group) -> None:
    group.add_command(crawl)


@click.command()
@click.argument("urls", nargs=-1)
@config_options
@as_of_option
def crawl(urls: tuple[str, ...], config_path: str | None, db_url: str | None,
          as_of: str | None) -> None:
    """只抓取网站（给出的网址或配置中的 [[sites]]），不检查规则，打印简要统计。

    示例：

        xunwang crawl http://127.0.0.1:8700/ --db sqlite:///xunwang.db
    """

    if not urls and not config_path and default_config_path() is None:
        raise click.UsageError("give URLs or --config FILE (or XUNWANG_CONFIG, ./xunwang.toml)")
    extra = {"sites": sites_from_urls(list(urls))} if urls else {}
    settings = build_settings(config_path, db_url, **extra)
    progress = ProgressLine()
    result = run_patrol(settings, as_of=parse_as_of(as_of, local_now(settings.schedule.timezone).date()), checks=False,
                        on_progress=progress)
    progress.close()
    click.echo(crawl_summary(result))
