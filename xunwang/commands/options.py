"""Options shared by several commands, and the one place that turns them into Settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

from core.errors import ConfigError
from core.settings import Settings, default_config_path, load_settings
from store.session import new_sqlite_file

F = TypeVar("F", bound=Callable[..., Any])


def config_options(func: F) -> F:
    """``--config FILE`` and ``--db URL``."""
    func = click.option("--db", "db_url", default=None, help="数据库的 SQLAlchemy URL（默认取配置 db.url）。")(func)
    func = click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), default=None,
        help="配置文件 xunwang.toml（默认取 XUNWANG_CONFIG 或当前目录的 xunwang.toml）。",
    )(func)
    return func


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
        help="监测时间点，默认今天。",
    )(func)


def parse_as_of(value: str | None, today: date) -> date:
    if not value:
        return today
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--as-of: {value!r} is not a date; use YYYY-MM-DD") from None


Notice = Callable[[str, str], None]


def build_settings(config_path: str | None, db_url: str | None, **sections: Any) -> Settings:
    """Settings from ``--config`` (or ``XUNWANG_CONFIG``, or ``./xunwang.toml``) and flags.

    When the database is a SQLite file that does not exist yet, says so (and which config
    was used) on stderr.
    """
    return settings_with_notice(config_path, db_url, None, **sections)


def settings_with_notice(config_path: str | None, db_url: str | None, notice: Notice | None,
                         **sections: Any) -> Settings:
    """``build_settings``, telling ``notice(database, config)`` of a new database instead."""
    overrides: dict[str, Any] = {k: v for k, v in sections.items() if v is not None}
    if db_url:
        overrides["db"] = {"url": db_url}
    path = config_path or (None if "sites" in overrides else default_config_path())
    settings = load_settings(path, overrides=overrides)
    created = new_sqlite_file(settings.db.url)
    if created:  # stderr: stdout may be JSON for a script
        config = settings.source if settings.source != "<defaults>" else "无（使用默认设置）"
        if notice is not None:
            notice(created, config)
        else:
            click.echo(f"提示：新建数据库 {created}（配置文件：{config}）", err=True)
    return settings
