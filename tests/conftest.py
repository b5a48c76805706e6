"""Shared fixtures: databases (SQLite and PostgreSQL), the shared benchmark folder."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from store.migrate import upgrade
from store.session import make_engine

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The external benchmark material beside the repository (``../shared``).

    A clone without it skips the tests over external material; in CI its absence fails.
    """
    if not SHARED.is_dir():
        message = (f"external benchmark material not found at {SHARED} "
                   "(tests over real pages and texts need ../shared beside the repository)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The admin URL of the PostgreSQL server; in CI its absence is a failure, not a skip."""
    if not _postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL on 127.0.0.1:5432 is required in CI")
        pytest.skip("PostgreSQL on 127.0.0.1:5432 is not running")
    return PG_ADMIN_URL


def _fresh_postgres(admin_url: str) -> tuple[str, str]:
    name = f"xw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, admin_url.rsplit("/", 1)[0] + "/" + name


def _drop_postgres(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated database: SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    admin_url = request.getfixturevalue("postgres_server")
    name, url = _fresh_postgres(admin_url)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        _drop_postgres(admin_url, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database only, for tests that do not depend on the backend."""
    url = f"sqlite:///{tmp_path / 'test.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()
