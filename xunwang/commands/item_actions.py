"""``xunwang items show|confirm|dismiss|reassign|deadline|approve|refuse``: one item each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

import click
from sqlalchemy.orm import Session

from core.errors import ConfigError
from core.settings import Settings
from rectification import actions
from rectification.actor import Actor
from rectification.queries import get_item
from rectification.views import ItemDetail
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker, transaction
from xunwang.commands.options import as_of_option, build_settings, config_options, parse_as_of

# The CLI runs as the office: it sees and acts on every unit's items.
CLI_ACTOR = Actor("cli", "admin")
Action = Callable[[Session, Settings, datetime], None]


def register(group: click.Group) -> None:
    for command in (show, confirm, dismiss, reassign, deadline, approve, refuse):
        group.add_command(command)


def now_of(settings: Settings) -> datetime:
    return datetime.now(ZoneInfo(settings.schedule.timezone)).replace(tzinfo=None)


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.db.url)
    try:
        upgrade(engine)
        with transaction(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _act(config_path: str | None, db_url: str | None, action: Action, done: str) -> None:
    settings = build_settings(config_path, db_url)
    with _session(settings) as session:
        action(session, settings, now_of(settings))
    click.echo(done)


def _detail_lines(detail: ItemDetail) -> list[str]:
    item = detail.item
    deadline = item.deadline.isoformat() if item.deadline else "—"
    lines = [
        f"问题 #{item.id}  {item.rule_title}（{item.severity_label}，规则 {item.rule}）",
        f"状态：{item.state_label}{'，已超期' if item.overdue else ''}",
        f"责任单位：{item.unit or '（未分配）'}    整改时限：{deadline}",
        f"位置：{item.place}{' / ' + item.column if item.column else ''}  {item.url}",
        f"描述：{item.message}",
    ]
    for label, value in (("目标", item.target), ("文字", item.text),
                         ("建议", item.suggestion), ("整改说明", item.fix_note)):
        if value:
            lines.append(f"{label}：{value}")
    lines.append(f"首次发现 {item.first_seen.isoformat()}，最近发现 {item.last_seen.isoformat()}"
                 f"{f'，复现 {item.regressions} 次' if item.regressions else ''}")
    lines.append("处理记录：")
    lines += [f"  {e.at:%Y-%m-%d %H:%M} {e.actor} {e.action_label}"
              f"{'：' + e.note if e.note else ''}" for e in detail.events]
    return lines


@click.command("show")
@config_options
@as_of_option
@click.argument("item_id", type=int)
def show(config_path: str | None, db_url: str | None, as_of: str | None, item_id: int) -> None:
    """查看一个问题：位置、证据、状态、时限和处理记录。

    示例：

        xunwang items show 42
    """
    settings = build_settings(config_path, db_url)
    day = parse_as_of(as_of, now_of(settings).date())
    with _session(settings) as session:
        detail = get_item(session, item_id, CLI_ACTOR, day)
    click.echo("\n".join(_detail_lines(detail)))


@click.command("confirm")
@config_options
@click.argument("item_id", type=int)
@click.option("--note", default="", help="说明（可选）。")
def confirm(config_path: str | None, db_url: str | None, item_id: int, note: str) -> None:
    """确认一个待确认的问题（疑似问题确属问题），从今天起计算整改时限。"""
    _act(config_path, db_url, lambda s, st, now: actions.confirm(
        s, item_id, CLI_ACTOR, note, now, config=st.rectification), f"问题 {item_id} 已确认")


@click.command("dismiss")
@config_options
@click.argument("item_id", type=int)
@click.option("--reason", required=True, help="忽略理由（误报、无需处理的原因）。")
@click.option("--scope", type=click.Choice(list(actions.DISMISS_SCOPES)), default="item",
              show_default=True, help="item：仅此问题；site：此网站中的该词；global：所有网站。")
def dismiss(config_path: str | None, db_url: str | None, item_id: int, reason: str,
            scope: str) -> None:
    """忽略一个问题（办公室操作，立即生效）；site/global 范围同时加入白名单。"""
    _act(config_path, db_url, lambda s, _st, now: actions.dismiss(
        s, item_id, CLI_ACTOR, reason, scope, now), f"问题 {item_id} 已忽略")


@click.command("reassign")
@config_options
@click.argument("item_id", type=int)
@click.option("--unit", required=True, help="改派给的责任单位（须是配置 [[units]] 中的名称）。")
@click.option("--reason", required=True, help="改派理由。")
def reassign(config_path: str | None, db_url: str | None, item_id: int, unit: str,
             reason: str) -> None:
    """把问题改派给另一个责任单位。"""
    _act(config_path, db_url, lambda s, st, now: actions.reassign(
        s, item_id, CLI_ACTOR, unit, reason, now, units={u.name for u in st.units}),
        f"问题 {item_id} 已改派给 {unit}")


@click.command("deadline")
@config_options
@click.argument("item_id", type=int)
@click.argument("new_deadline", metavar="YYYY-MM-DD")
@click.option("--reason", required=True, help="调整理由。")
def deadline(config_path: str | None, db_url: str | None, item_id: int, new_deadline: str,
             reason: str) -> None:
    """调整问题的整改时限。"""
    try:
        day = date.fromisoformat(new_deadline)
    except ValueError:
        raise ConfigError(f"整改时限 {new_deadline!r} 不是日期，请用 YYYY-MM-DD") from None
    _act(config_path, db_url, lambda s, _st, now: actions.change_deadline(
        s, item_id, CLI_ACTOR, day, reason, now), f"问题 {item_id} 的整改时限已改为 {day}")


@click.command("approve")
@config_options
@click.argument("item_id", type=int)
@click.option("--note", default="", help="审核意见（可选）。")
def approve(config_path: str | None, db_url: str | None, item_id: int, note: str) -> None:
    """同意责任单位的忽略申请。"""
    _act(config_path, db_url, lambda s, _st, now: actions.approve_dismissal(
        s, item_id, CLI_ACTOR, note, now), f"问题 {item_id}：已同意忽略")


@click.command("refuse")
@config_options
@click.argument("item_id", type=int)
@click.option("--note", required=True, help="不同意的理由。")
def refuse(config_path: str | None, db_url: str | None, item_id: int, note: str) -> None:
    """不同意责任单位的忽略申请，问题回到申请前的状态。"""
    _act(config_path, db_url, lambda s, _st, now: actions.refuse_dismissal(
        s, item_id, CLI_ACTOR, note, now), f"问题 {item_id}：不同意忽略，已退回整改")
