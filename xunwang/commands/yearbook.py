"""``xunwang yearbook``: the year's numbers an office's annual report quotes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core.errors import ConfigError
from reports.yearbook import build_yearbook, render_text, write_xlsx
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker, transaction
from xunwang.commands.options import build_settings, config_options


def register(group: click.Group) -> None:
    group.add_command(yearbook)


@click.command()
@config_options
@click.option("--year", type=int, required=True, help="年度，如 2023。")
@click.option("--site", default=None, help="只统计这个网站（配置中的名称）。")
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="另存为 Excel 文件（含按月、按单位的图表）。")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
              help="另存为 JSON 文件（`-` 为标准输出）。")
def yearbook(config_path: str | None, db_url: str | None, year: int, site: str | None,
             xlsx_path: Path | None, json_path: Path | None) -> None:
    """年度数据：年度报告要引用的数字（主动公开、政策解读、留言办理、新媒体、整改、安全）。

    数字来自本年度的巡查记录；本年度只巡查了一部分时间的，会写明覆盖天数。

    示例：

        xunwang yearbook --year 2023
        xunwang yearbook --year 2023 --site 区人民政府门户网站 --xlsx 2023年度数据.xlsx
    """
    if not 2000 <= year <= 2100:
        raise ConfigError(f"yearbook: --year {year} is not a year between 2000 and 2100")
    settings = build_settings(config_path, db_url)
    if site is not None and site not in {s.name for s in settings.sites}:
        known = "、".join(s.name for s in settings.sites) or "无"
        raise ConfigError(f"yearbook: no site {site!r} in the configuration (sites: {known})")
    engine = make_engine(settings.db.url)
    try:
        upgrade(engine)
        with transaction(make_sessionmaker(engine)) as session:
            book = build_yearbook(session, settings, year, site)
    finally:
        engine.dispose()
    if json_path is not None:
        text = json.dumps(book.to_json(), ensure_ascii=False, indent=2)
        if str(json_path) == "-":
            click.echo(text)
            return
        _write(json_path, lambda p: p.write_text(text, encoding="utf-8"))
    if xlsx_path is not None:
        _write(xlsx_path, lambda p: write_xlsx(book, p))
    click.echo(render_text(book))
    for path in (json_path, xlsx_path):
        if path is not None:
            click.echo(f"已保存到 {path}")


def _write(path: Path, write: object) -> None:
    try:
        write(path)  # type: ignore[operator]
    except OSError as error:
        raise ConfigError(f"yearbook: cannot write {path}: {error.strerror}") from None
