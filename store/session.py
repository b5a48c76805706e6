"""Engine and session factories; SQLite gets WAL and a busy timeout, PostgreSQL as is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import StoreError

SQLITE_BUSY_MS = 30_000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a bad URL is a one-line StoreError."""
    try:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as error:
        raise StoreError(f"database URL {url!r} is not valid: {error}") from None


def new_sqlite_file(url: str) -> str | None:
    """The file a SQLite URL names when it does not exist yet (it will be created), else None."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None  # make_engine reports a bad URL
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database or "")
    return None if path.exists() else str(path.resolve())


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work at an edge: commit on success, roll back on error."""
    try:
        with factory.begin() as session:
            yield session
    except OperationalError as error:
        raise StoreError(f"database error: {str(error.orig).splitlines()[0]}") from error


def check_database(factory: sessionmaker[Session]) -> None:
    """Run ``SELECT 1``; any database failure is a one-line StoreError."""
    try:
        with transaction(factory) as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        raise StoreError(str(error).splitlines()[0]) from error


def engine_of(session: Session) -> Engine:
    """The engine ``session`` runs on: for readers that outlive the session (new sessions
    on the same engine later, as the crawl's previous-run index does)."""
    return session.get_bind().engine
