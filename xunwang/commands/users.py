"""``xunwang users``: add and list the people who log in to the web list."""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.settings import Settings
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker, transaction
from web.users import UserError, add_user, list_users, set_disabled, set_password
from xunwang.commands.options import build_settings, config_options


def register(group: click.Group) -> None:
    group.add_command(users)


@click.group()
def users() -> None:
    """网页列表的用户：办公室管理员（看全部）和单位用户（只看本单位问题）。"""


def _factory(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(settings.db.url)
    upgrade(engine)
    return engine, make_sessionmaker(engine)


@users.command("add")
@config_options
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "unit"]), required=True)
@click.option("--unit", default="", help="单位用户所属的责任单位。")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码。")
def add(
    config_path: str | None, db_url: str | None, name: str, role: str, unit: str,
    password_stdin: bool,
) -> None:
    """添加用户；密码输入两次，或用 --password-stdin 从标准输入读取。

    示例：

        xunwang users add caizheng --role unit --unit 财政局
        echo "$PASS" | xunwang users add office --role admin --password-stdin
    """
    settings = build_settings(config_path, db_url)
    known = [u.name for u in settings.units]
    if unit and known and unit not in known:
        raise UserError(f"没有名为 {unit!r} 的责任单位；配置中的单位有：{'、'.join(known)}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = str(click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码"))
    engine, factory = _factory(settings)
    try:
        with transaction(factory) as session:
            now = datetime.now(ZoneInfo(settings.schedule.timezone)).replace(tzinfo=None)
            user = add_user(session, name, password, role, unit, now)
    finally:
        engine.dispose()
    where = f"（{user.unit}）" if user.unit else ""
    click.echo(f"已添加用户 {user.username}：{'管理员' if user.role == 'admin' else '单位用户'}{where}")


@users.command("list")
@config_options
def list_(config_path: str | None, db_url: str | None) -> None:
    """列出用户及其角色和单位。

    示例：

        xunwang users list --config xunwang.toml
    """
    settings = build_settings(config_path, db_url)
    engine, factory = _factory(settings)
    try:
        with transaction(factory) as session:
            found = list_users(session)
    finally:
        engine.dispose()
    if found:
        click.echo("用户名\t角色\t责任单位")
    for user in found:
        state = "\tdisabled" if user.disabled else ""
        click.echo(f"{user.username}\t{user.role}\t{user.unit}{state}")
    if not found:
        click.echo("还没有用户；用 xunwang users add NAME --role admin 添加。")


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("新密码", hide_input=True, confirmation_prompt="再次输入新密码"))


@users.command("passwd")
@config_options
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="从标准输入读取新密码。")
def passwd(config_path: str | None, db_url: str | None, name: str, password_stdin: bool) -> None:
    """设置用户的新密码；输入两次，或用 --password-stdin 从标准输入读取。

    示例：

        xunwang users passwd caizheng
    """
    settings = build_settings(config_path, db_url)
    password = _password(password_stdin)
    engine, factory = _factory(settings)
    try:
        with transaction(factory) as session:
            user = set_password(session, name, password)
    finally:
        engine.dispose()
    click.echo(f"已为用户 {user.username} 设置新密码")


@users.command("disable")
@config_options
@click.argument("name")
@click.option("--enable", "enable", is_flag=True, help="重新启用已停用的用户。")
def disable(config_path: str | None, db_url: str | None, name: str, enable: bool) -> None:
    """停用用户：不能再登录，已登录的会话在下一次打开页面时结束（--enable 重新启用）。

    示例：

        xunwang users disable caizheng
        xunwang users disable caizheng --enable
    """
    settings = build_settings(config_path, db_url)
    engine, factory = _factory(settings)
    try:
        with transaction(factory) as session:
            user = set_disabled(session, name, not enable)
    finally:
        engine.dispose()
    click.echo(f"已{'启用' if enable else '停用'}用户 {user.username}")
