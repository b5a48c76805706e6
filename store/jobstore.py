"""Reads of APScheduler's job table, which lives in our database (``apscheduler_jobs``)."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text


def next_run_timestamps(engine: Engine, table: str) -> dict[str, float | None]:
    """Every stored job's next run time as a POSIX timestamp (None: paused); {} before any."""
    if not inspect(engine).has_table(table):
        return {}
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, next_run_time FROM {table}")).all()
    return {str(row.id): row.next_run_time for row in rows}
