"""SQLite under the web list and a patrol writing at once: no error page, no lost write."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import func, insert, select

from store.models import FindingRow, ItemEvent, Run
from tests.web.conftest import Served, login

ROWS = 20_000


def _patrol_writes(served: Served, batches: int, done: threading.Event) -> None:
    """Large write transactions, as the store pipeline and reconcile make them."""
    with served.env.factory() as session, session.begin():
        run = Run(kind="patrol", as_of=datetime(2026, 11, 27).date(),
                  started_at=datetime(2026, 11, 27, 2, 0), status="running")
        session.add(run)
        session.flush()
        run_id = run.id
    rows = [{"run_id": run_id, "rule": "link-broken", "severity": "deduct", "url": f"http://x/{i}",
             "message": "m", "evidence": {}, "fingerprint": f"f{i}"} for i in range(ROWS)]
    for _ in range(batches):
        with served.env.factory() as session, session.begin():
            session.execute(insert(FindingRow), rows)
    done.set()


def test_web_actions_and_patrol_writes_interleave_on_sqlite(served: Served) -> None:
    done = threading.Event()
    writer = threading.Thread(target=_patrol_writes, args=(served, 5, done))
    with served.client() as client:
        token = login(client, "office")
        writer.start()
        statuses = []
        notes = 0
        while not done.is_set() or notes < 5:
            statuses.append(client.get("/items").status_code)
            response = client.post(f"/items/{served.env.ids.link}/close",
                                   data={"csrf_token": token, "note": f"核查 {notes}"},
                                   follow_redirects=False)
            statuses.append(response.status_code)
            if response.status_code == 303:
                client.post(f"/items/{served.env.ids.link}/reopen",
                            data={"csrf_token": token, "note": f"复查 {notes}"},
                            follow_redirects=False)
                notes += 1
        writer.join(timeout=120)
    assert set(statuses) <= {200, 303}, statuses
    with served.env.factory() as session:
        written = session.scalar(select(func.count()).select_from(FindingRow))
        closes = session.scalar(select(func.count()).select_from(ItemEvent).where(
            ItemEvent.item_id == served.env.ids.link, ItemEvent.action == "close"))
    assert written == 5 * ROWS
    assert closes == notes
