"""``xunwang items``: the rectification list on the command line, and closing an item."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from core.settings import Settings
from rectification import actions
from rectification.actor import Actor
from rectification.queries import SORTS, ItemFilter, all_items, list_items
from rectification.views import SEVERITY_LABELS, STATES, ItemView
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker, transaction
from xunwang.commands import item_actions
from xunwang.commands.options import as_of_option, build_settings, config_options, parse_as_of

# The CLI runs as the office: it sees and acts on every unit's items.
CLI_ACTOR = Actor("cli", "admin")


# Modules whose commands hang below `xunwang items` (the conventions test reads this).
SUBCOMMAND_MODULES = (item_actions,)


def register(group: click.Group) -> None:
    group.add_command(items)
    for module in SUBCOMMAND_MODULES:
        module.register(items)


def _now(settings: Settings) -> datetime:
    return datetime.now(ZoneInfo(settings.schedule.timezone)).replace(tzinfo=None)


_HEADER = ("编号", "状态", "严重程度", "责任单位", "整改时限", "规则", "位置", "问题")


def _header() -> str:
    h = _HEADER
    return f"{h[0]:>6}  {h[1]:<6} {h[2]:<4} {h[3]:<8} {h[4]:<16} {h[5]:<20} {h[6]}  {h[7]}"


def _row(item: ItemView) -> str:
    deadline = item.deadline.isoformat() if item.deadline else "-"
    if item.overdue:
        deadline += "(超期)"
    place = item.place + (f"/{item.column}" if item.column else "")
    detail = item.text or item.target or ""
    detail = f" “{detail}”" if detail else ""
    return (f"{item.id:>6}  {item.state_label:<6} {item.severity_label:<4} "
            f"{item.unit or '-':<8} {deadline:<16} {item.rule:<20} {place}  "
            f"{item.message}{detail}")


@click.group(invoke_without_command=True)
@config_options
@as_of_option
@click.option("--site", default=None, help="只列此网站的问题。")
@click.option("--account", default=None, help="只列此政务新媒体账号的问题。")
@click.option("--unit", default=None, help="责任单位。")
@click.option("--rule", default=None, help="规则编号，如 link-broken。")
@click.option("--severity", type=click.Choice(list(SEVERITY_LABELS)), default=None,
              help="严重程度。")
@click.option("--state", type=click.Choice(list(STATES)), default=None, help="状态。")
@click.option("--overdue/--not-overdue", default=None, help="只列超期（或未超期）的问题。")
@click.option("-q", "--search", "q", default=None, help="在描述、网址、词语中查找。")
@click.option("--sort", type=click.Choice(list(SORTS)), default="deadline", show_default=True,
              help="排序方式。")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="页码。")
@click.option("--page-size", type=click.IntRange(1, 1000), default=50, show_default=True,
              help="每页条数。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出全部匹配的问题（不分页）。")
@click.pass_context
def items(
    ctx: click.Context, /, config_path: str | None, db_url: str | None, as_of: str | None,
    page: int, page_size: int, as_json: bool, overdue: bool | None, sort: str,
    **filters: str | None,
) -> None:
    """整改清单：按网页列表的条件列出问题；子命令查看和处理单个问题。

    --json 输出全部匹配的问题（不分页），每项含 id、rule、severity、state、regressions、
    unit、deadline、first_seen、last_seen、site 或 account、url、target 或 text、message。

    示例：

        xunwang items --unit 财政局 --overdue
        xunwang items --state sent_back --json > sent_back.json
        xunwang items show 42
        xunwang items close 42 --note "已更正错别字"
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = build_settings(config_path, db_url)
    day = parse_as_of(as_of, _now(settings).date())
    flt = ItemFilter(**filters, overdue=overdue, sort=sort, page=page, page_size=page_size)
    engine = make_engine(settings.db.url)
    try:
        upgrade(engine)
        with transaction(make_sessionmaker(engine)) as session:
            soon = settings.rectification.due_soon_days
            if as_json:
                found = all_items(session, flt, CLI_ACTOR, day, due_soon_days=soon)
                click.echo(json.dumps([i.to_json() for i in found], ensure_ascii=False,
                                      indent=2))
                return
            result = list_items(session, flt, CLI_ACTOR, day, due_soon_days=soon)
    finally:
        engine.dispose()
    click.echo(_header())
    for item in result.items:
        click.echo(_row(item))
    click.echo(f"共 {result.total} 项，第 {result.page}/{result.pages} 页")


@items.command("close")
@config_options
@click.argument("item_id", type=int)
@click.option("--note", required=True, help="整改措施。")
@click.option("--verified", is_flag=True, help="由办公室直接人工销号，不等下次巡检复核。")
def close(
    config_path: str | None, db_url: str | None, item_id: int, note: str, verified: bool,
) -> None:
    """报告问题已整改（附说明）；下次巡检复核后销号。

    示例：

        xunwang items close 42 --note "已删除该附件中的身份证号"
    """
    settings = build_settings(config_path, db_url)
    engine = make_engine(settings.db.url)
    try:
        upgrade(engine)
        with transaction(make_sessionmaker(engine)) as session:
            if verified:
                actions.close(session, item_id, CLI_ACTOR, note, _now(settings))
            else:
                actions.mark_fixed(session, item_id, CLI_ACTOR, note, _now(settings))
    finally:
        engine.dispose()
    if verified:
        click.echo(f"问题 {item_id} 已销号")
    else:
        click.echo(f"问题 {item_id} 已标记为已整改待复核，下次巡检复核后销号")
