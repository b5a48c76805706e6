"""Several patrols starting together each migrate: the upgrade is safe from many threads."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import inspect

from store.migrate import upgrade
from store.session import make_engine


def test_upgrade_from_many_threads_at_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def work() -> None:
        start.wait()
        try:
            upgrade(engine)
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert "items" in inspect(engine).get_table_names()
