"""Bring a database schema to the newest Alembic revision."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from core.errors import StoreError

HERE = Path(__file__).parent


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE / "migrations"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


_LOCK = threading.Lock()


def _at_head(engine: Engine) -> bool:
    heads = set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


def upgrade(engine: Engine) -> None:
    """Create or update every table; safe to call at each start, from any thread.

    Alembic's command API keeps module-level state: two threads upgrading at once (patrols
    starting together in the service) break each other, so upgrades are serialised here.
    """
    try:
        if _at_head(engine):
            return
        with _LOCK, engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except OperationalError as error:
        first = str(error.orig).splitlines()[0]
        raise StoreError(f"cannot reach database {engine.url!r}: {first}") from None
