"""``xunwang tokens``: API tokens for ``POST /api/check`` (a CMS checks drafts before publishing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import click
from sqlalchemy.orm import Session

from core.clock import local_now
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker, transaction
from web.tokens import TokenView, add_token, list_tokens, revoke_token
from xunwang.commands.options import build_settings, config_options

T = TypeVar("T")


def register(group: click.Group) -> None:
    group.add_command(tokens)


@click.group()
def tokens() -> None:
    """预先检查接口（POST /api/check）的 API 令牌；只保存令牌的哈希值。"""


def _run(config_path: str | None, db_url: str | None,
         work: Callable[[Session, datetime], T]) -> T:
    settings = build_settings(config_path, db_url)
    engine = make_engine(settings.db.url)
    upgrade(engine)
    try:
        with transaction(make_sessionmaker(engine)) as session:
            return work(session, local_now(settings.schedule.timezone).replace(tzinfo=None))
    finally:
        engine.dispose()


@tokens.command("add")
@config_options
@click.argument("name")
def add(config_path: str | None, db_url: str | None, name: str) -> None:
    """创建名为 NAME 的令牌（例如调用接口的 CMS 名称）；令牌只显示这一次。

    示例：

        xunwang tokens add cms-trs
    """
    view, plain = _run(config_path, db_url, lambda s, now: add_token(s, name, now))
    click.echo(plain)
    click.echo(f"已创建令牌 {view.name}。令牌只显示这一次，请妥善保存；"
               "调用时放在请求头 Authorization: Bearer <令牌>。", err=True)


def _line(view: TokenView) -> str:
    used = view.last_used_at.strftime("%Y-%m-%d %H:%M") if view.last_used_at else "从未使用"
    state = f"已撤销 {view.revoked_at:%Y-%m-%d}" if view.revoked_at else "有效"
    return f"{view.name}\t{state}\t创建 {view.created_at:%Y-%m-%d}\t最近使用 {used}"


@tokens.command("list")
@config_options
def list_(config_path: str | None, db_url: str | None) -> None:
    """列出令牌：名称、状态、创建时间、最近使用时间（不显示令牌本身）。

    示例：

        xunwang tokens list
    """
    found: list[TokenView] = _run(config_path, db_url, lambda s, _now: list_tokens(s))
    for view in found:
        click.echo(_line(view))
    if not found:
        click.echo("还没有 API 令牌；用 xunwang tokens add NAME 创建。")


@tokens.command("revoke")
@config_options
@click.argument("name")
def revoke(config_path: str | None, db_url: str | None, name: str) -> None:
    """立即撤销令牌 NAME，此后用它调用接口一律拒绝。

    示例：

        xunwang tokens revoke cms-trs
    """
    view = _run(config_path, db_url, lambda s, now: revoke_token(s, name, now))
    click.echo(f"已撤销令牌 {view.name}")
