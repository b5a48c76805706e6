"""``xunwang export``: the 整改清单 of the current filter as .xlsx and/or CSV."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from core.errors import ConfigError
from rectification.actor import Actor
from rectification.queries import SORTS, ItemFilter, all_items, closings
from rectification.views import SEVERITY_LABELS, STATES
from reports.export import Closing, thumbnails, write_csv, write_xlsx
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker, transaction
from xunwang.commands.options import as_of_option, build_settings, config_options, parse_as_of

# The CLI runs as the office: it sees every unit's items.
CLI_ACTOR = Actor("cli", "admin")


def register(group: click.Group) -> None:
    group.add_command(export)


@click.command()
@config_options
@as_of_option
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, path_type=Path),
              help="导出为 Excel 文件。")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="导出为 CSV（带 BOM 的 UTF-8，可用 Excel 打开）。")
@click.option("--site", default=None)
@click.option("--account", default=None)
@click.option("--unit", default=None, help="责任单位。")
@click.option("--rule", default=None, help="规则编号，如 link-broken。")
@click.option("--severity", type=click.Choice(list(SEVERITY_LABELS)), default=None)
@click.option("--state", type=click.Choice(list(STATES)), default=None)
@click.option("--overdue/--not-overdue", default=None, help="只导出超期（或未超期）的问题。")
@click.option("--sort", type=click.Choice(list(SORTS)), default="deadline", show_default=True)
def export(
    config_path: str | None, db_url: str | None, as_of: str | None, xlsx_path: Path | None,
    csv_path: Path | None, site: str | None, account: str | None, unit: str | None,
    rule: str | None, severity: str | None, state: str | None, overdue: bool | None, sort: str,
) -> None:
    """导出整改清单（Excel 或 CSV），筛选条件与网页列表相同。

    列：序号、问题编号、网站/账号、栏目、问题类型、严重程度、问题描述、证据、网址、责任单位、
    发现时间、整改时限、是否超期、状态、整改情况、复核结果、整改措施/销号说明。

    示例：

        xunwang export --xlsx 整改清单.xlsx --unit 财政局 --overdue
    """
    if not xlsx_path and not csv_path:
        raise ConfigError("export: name an output with --xlsx FILE and/or --csv FILE")
    settings = build_settings(config_path, db_url)
    day = parse_as_of(as_of, datetime.now(ZoneInfo(settings.schedule.timezone)).date())
    engine = make_engine(settings.db.url)
    try:
        upgrade(engine)
        with transaction(make_sessionmaker(engine)) as session:
            items = all_items(
                session,
                ItemFilter(site=site, account=account, unit=unit, rule=rule, severity=severity,
                           state=state, overdue=overdue, sort=sort),
                CLI_ACTOR, day,
                due_soon_days=settings.rectification.due_soon_days,
            )
            closed = {k: Closing(*v) for k, v in closings(session, items).items()}
            shots = thumbnails(session, settings, [i.id for i in items])
    finally:
        engine.dispose()
    for path, kind in ((xlsx_path, "xlsx"), (csv_path, "csv")):
        if path:
            try:
                if kind == "xlsx":
                    write_xlsx(items, path, unit=unit, as_of=day, closings=closed, shots=shots)
                else:
                    write_csv(items, path, closings=closed, shots=shots)
            except OSError as error:
                raise ConfigError(f"export: cannot write {path}: {error.strerror}") from None
            click.echo(f"已导出 {len(items)} 条问题到 {path}")
