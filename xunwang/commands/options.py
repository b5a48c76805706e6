"""Options shared by several commands, and the one place that turns them into Settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import click

from core.errors import ConfigError
from core.settings import Settings, default_config_path, load_settings

F = TypeVar("F", bound=Callable[..., Any])


def config_options(func: F) -> F:
    """``--config FILE`` and ``--db URL``."""
    func = click.option("--db", "db_url", default=None, help="SQLAlchemy URL of the database.")(func)
    func = click.option(
        "--config", "config_path", type=click.Path(dir_okay=False), default=None,
        help="The xunwang.toml file.",
    )(func)
    return func


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
        help="Check time point (监测时间点); default today.",
    )(func)


def parse_as_of(value: str | None, today: date) -> date:
    if not value:
        return today
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--as-of: {value!r} is not a date; use YYYY-MM-DD") from None


def build_settings(config_path: str | None, db_url: str | None, **sections: Any) -> Settings:
    """Settings from ``--config`` (or ``XUNWANG_CONFIG``, or ``./xunwang.toml``) and flags."""
    overrides: dict[str, Any] = {k: v for k, v in sections.items() if v is not None}
    if db_url:
        overrides["db"] = {"url": db_url}
    path = config_path or (None if "sites" in overrides else default_config_path())
    return load_settings(path, overrides=overrides)
