"""Every digest delivered once: fault injection against a real SMTP server (aiosmtpd).

A server that takes the message and then stalls past the client's timeout, a digest
process killed after the server took the message but before it recorded the send,
concurrent ``digest`` runs, and a week-long outage: no digest arrives twice, none is lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.settings import Settings
from reports.digest import run_digests
from reports.mail import parse
from scheduler.status import collect_status, format_status
from store.models import Digest
from store.session import make_engine, make_sessionmaker
from tests.reports.test_digest import AS_OF, NOW, _free_port, _item, _seed

ROOT = Path(__file__).resolve().parents[2]
ADDRESSES = ("czj@example.test", "jyj@example.test", "office@example.test")


@dataclass
class FaultyInbox:
    """Keeps every message it takes; ``after`` runs (in the server's loop) before it replies."""

    messages: list[EmailMessage] = field(default_factory=list)
    after: Callable[[EmailMessage], Any] | None = None
    stall_s: float = 0.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = parse(bytes(envelope.content).decode())
        self.messages.append(message)
        if self.after is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.after, message)
        if self.stall_s:
            await asyncio.sleep(self.stall_s)  # the client's reply timeout fires first
        return "250 OK"

    def count(self, address: str) -> int:
        return sum(1 for m in self.messages if address in str(m["To"]))

    def ids(self) -> list[str]:
        return [str(m["Message-ID"]) for m in self.messages]


def _settings_dict(port: int) -> dict[str, Any]:
    return {
        "sites": [{"name": "示例区政府", "url": "http://127.0.0.1:8001/"}],
        "units": [{"name": "财政局", "email": "czj@example.test"},
                  {"name": "教育局", "email": "jyj@example.test"}],
        "mail": {"smtp_host": "127.0.0.1", "smtp_port": port, "security": "none",
                 "sender": "xunwang@example.test", "office_email": "office@example.test",
                 "timeout_seconds": 1},
        "web": {"base_url": "http://xunwang.example.test"},
    }


def _serve(inbox: FaultyInbox, port: int) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def _factory(url: str) -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(url))


def _rows(factory: sessionmaker[Session]) -> list[Digest]:
    with factory() as session:
        return list(session.scalars(select(Digest).order_by(Digest.id)))


def test_a_server_that_stalls_after_data_gets_each_digest_once(db_url: str) -> None:
    factory = _factory(db_url)
    _seed(factory)
    port = _free_port()
    settings = Settings.model_validate(_settings_dict(port))
    inbox = FaultyInbox(stall_s=2.5)
    controller = _serve(inbox, port)
    try:
        stalled = run_digests(factory, settings, AS_OF, NOW)
        inbox.stall_s = 0.0
        later = run_digests(factory, settings, AS_OF, NOW + timedelta(hours=1))
        later_rows = len(_rows(factory))
    finally:
        controller.stop()
    assert stalled.count("uncertain") == 3, stalled.outcomes
    assert later.count("sent") == 0 and later.count("uncertain") == 3, later.outcomes
    assert [inbox.count(a) for a in ADDRESSES] == [1, 1, 1]
    rows = _rows(factory)
    assert later_rows == 3
    assert {r.status for r in rows} == {"uncertain"}
    assert sorted(r.message_id for r in rows) == sorted(inbox.ids())
    engine = make_engine(db_url)
    report = collect_status(settings, engine, NOW + timedelta(hours=2))
    engine.dispose()
    uncertain = report["digests"]["uncertain"]
    assert {d["message_id"] for d in uncertain} == set(inbox.ids())
    assert "发送结果不明" in format_status(report)


_CHILD = """
import json, sys
from datetime import date, datetime
from core.settings import Settings
from reports.digest import run_digests
from store.session import make_engine, make_sessionmaker
settings = Settings.model_validate(json.loads(sys.argv[2]))
run_digests(make_sessionmaker(make_engine(sys.argv[1])), settings,
            date.fromisoformat(sys.argv[3]), datetime.fromisoformat(sys.argv[4]))
"""


def test_a_kill_between_send_and_record_does_not_send_twice(db_url: str) -> None:
    factory = _factory(db_url)
    _seed(factory)
    port = _free_port()
    config = _settings_dict(port)
    child: list[subprocess.Popen[bytes]] = []

    def kill_the_sender(_message: EmailMessage) -> None:
        if child and child[0].poll() is None:
            os.kill(child[0].pid, signal.SIGKILL)  # the server took it; nobody records it
            child[0].wait(timeout=30)

    inbox = FaultyInbox(after=kill_the_sender)
    controller = _serve(inbox, port)
    try:
        child.append(subprocess.Popen(
            [sys.executable, "-c", _CHILD, db_url, json.dumps(config), AS_OF.isoformat(),
             NOW.isoformat()], cwd=ROOT))
        assert child[0].wait(timeout=120) == -signal.SIGKILL
        killed = _rows(factory)
        inbox.after = None
        settings = Settings.model_validate(config)
        after = run_digests(factory, settings, AS_OF, NOW + timedelta(minutes=5))
        again = run_digests(factory, settings, AS_OF, NOW + timedelta(minutes=10))
    finally:
        controller.stop()
    assert len(inbox.messages) == 3, [str(m["To"]) for m in inbox.messages]
    assert [inbox.count(a) for a in ADDRESSES] == [1, 1, 1]
    assert len(killed) == 3 and killed[0].status == "sending"
    assert after.count("sent") == 2 and after.count("uncertain") == 1, after.outcomes
    assert again.count("sent") == 0
    rows = _rows(factory)
    assert sorted(r.status for r in rows) == ["sent", "sent", "uncertain"]
    assert next(r for r in rows if r.status == "uncertain").message_id == inbox.ids()[0]


def test_concurrent_digest_runs_do_not_crash_and_one_wins(db_url: str) -> None:
    factory = _factory(db_url)
    _seed(factory)
    port = _free_port()
    settings = Settings.model_validate(_settings_dict(port))
    inbox = FaultyInbox()
    controller = _serve(inbox, port)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def one_run() -> None:
        own = _factory(db_url)  # each run its own engine, as separate processes have
        try:
            barrier.wait(timeout=30)
            run_digests(own, settings, AS_OF, NOW)
        except BaseException as error:  # noqa: BLE001 - the test reports any of them
            errors.append(error)

    threads = [threading.Thread(target=one_run) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        controller.stop()
    assert errors == []
    assert [inbox.count(a) for a in ADDRESSES] == [1, 1, 1]
    assert sorted(r.status for r in _rows(factory)) == ["sent"] * 3


def test_after_an_outage_only_todays_digest_is_sent(db_url: str) -> None:
    factory = _factory(db_url)
    _seed(factory)
    with factory.begin() as session:  # found during the outage: today's digest names it
        outage_item = _item(session, "outage", first_seen=AS_OF - timedelta(days=4))
    port = _free_port()  # nothing listens for a week
    settings = Settings.model_validate(_settings_dict(port))
    start = AS_OF - timedelta(days=7)
    for offset in range(7):
        day = start + timedelta(days=offset)
        down = run_digests(factory, settings, day, datetime.combine(day, NOW.time()))
        assert down.count("failed") >= 1
    inbox = FaultyInbox()
    controller = _serve(inbox, port)
    try:
        back = run_digests(factory, settings, AS_OF, NOW)
    finally:
        controller.stop()
    assert back.count("sent") == 3, back.outcomes
    assert [inbox.count(a) for a in ADDRESSES] == [1, 1, 1]
    assert all(AS_OF.isoformat() in str(m["Subject"]) for m in inbox.messages)
    finance = next(m for m in inbox.messages if "czj@" in str(m["To"]))
    body = finance.get_body(("plain",))
    assert body is not None and f"/items/{outage_item}" in str(body.get_content())
    stale = [r for r in _rows(factory) if r.as_of < AS_OF]
    assert stale and {r.status for r in stale} == {"superseded"}


def test_digest_status_names_uncertain_sends_of_a_fresh_database(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    settings = Settings.model_validate(_settings_dict(_free_port()))
    report = collect_status(settings, engine, NOW)
    assert report["digests"] == {"uncertain": [], "failed": 0}
    engine.dispose()


def test_resend_sends_an_uncertain_digest_again_only_when_asked(
    sqlite_url: str, tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from xunwang.cli import main

    factory = _factory(sqlite_url)
    _seed(factory)
    port = _free_port()
    config = tmp_path / "xunwang.toml"
    config.write_text(
        f'[db]\nurl = "{sqlite_url}"\n'
        '[[units]]\nname = "财政局"\nemail = "czj@example.test"\n'
        f'[mail]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\nsecurity = "none"\n'
        'sender = "xunwang@example.test"\ntimeout_seconds = 1\n', encoding="utf-8")
    inbox = FaultyInbox(stall_s=2.5)
    controller = _serve(inbox, port)
    try:
        args = ["digest", "--config", str(config), "--send", "--as-of", AS_OF.isoformat()]
        first = CliRunner().invoke(main, args)
        inbox.stall_s = 0.0
        second = CliRunner().invoke(main, args)
        key = f"{AS_OF.isoformat()}:unit:财政局"
        resent = CliRunner().invoke(main, ["digest", "--config", str(config), "--send",
                                           "--resend", key])
        unknown = CliRunner().invoke(main, ["digest", "--config", str(config), "--send",
                                            "--resend", key])
    finally:
        controller.stop()
    assert "发送结果不明" in first.output and "发送结果不明" in second.output, first.output
    assert inbox.count("czj@example.test") == 2  # the stalled one, then the one asked for
    assert resent.exit_code == 0 and "已发送" in resent.output, resent.output
    assert unknown.exit_code != 0 and "没有发送结果不明的摘要" in unknown.output
    assert [r.status for r in _rows(factory)] == ["sent"]
