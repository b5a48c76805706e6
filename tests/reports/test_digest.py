"""Digests by mail against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.settings import Settings
from reports.digest import run_digests
from reports.mail import parse
from store.models import Digest, Item, Run
from store.session import make_engine, make_sessionmaker

AS_OF = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 8, 0)
XSS_TEXT = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        body = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parse(body.decode())))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for _, rcpts, m in self.messages if address in rcpts]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(inbox: Inbox, port: int, **kwargs: Any) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = _start(inbox, port)
    yield inbox, port
    controller.stop()


def _settings(port: int, **mail: Any) -> Settings:
    return Settings.model_validate({
        "sites": [{"name": "示例区政府", "url": "http://127.0.0.1:8001/"}],
        "units": [{"name": "财政局", "email": "czj@example.test"},
                  {"name": "教育局", "email": "jyj@example.test"},
                  {"name": "无邮箱单位"}],
        "mail": {"smtp_host": "127.0.0.1", "smtp_port": port, "security": "none",
                 "sender": "xunwang@example.test", "office_email": "office@example.test",
                 "timeout_seconds": 5, **mail},
        "web": {"base_url": "http://xunwang.example.test"},
    })


def _item(session: Session, fp: str, **fields: Any) -> int:
    values: dict[str, Any] = {
        "fingerprint": fp, "rule": "wording-typo", "severity": "deduct", "site": "示例区政府",
        "url": "http://127.0.0.1:8001/a.html", "message": "错别字", "state": "open",
        "unit": "财政局", "deadline": date(2026, 12, 10), "first_seen": date(2026, 11, 20),
        "last_seen": AS_OF, "updated_at": NOW, "evidence": {},
    }
    values.update(fields)
    item = Item(**values)
    session.add(item)
    session.flush()
    return item.id


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def _seed(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory.begin() as session:
        session.add(Run(as_of=date(2026, 11, 26), started_at=datetime(2026, 11, 26, 2),
                        status="failed", reason="数据库连接中断"))
        return {
            "overdue": _item(session, "a", deadline=date(2026, 11, 20),
                             message="泄露身份证号", rule="privacy-id-number", severity="veto",
                             text="110101********1234"),
            "new": _item(session, "b", first_seen=AS_OF, text=XSS_TEXT,
                         message=f"错别字 {XSS_TEXT}"),
            "sent_back": _item(session, "c", state="sent_back", text="按装"),
            "confirm": _item(session, "d", state="to_confirm", severity="warn", deadline=None,
                             text="按装", url="http://127.0.0.1:8001/b.html"),
            "edu": _item(session, "e", unit="教育局", deadline=date(2026, 11, 29)),
            "quiet": _item(session, "f", unit="教育局", state="closed", deadline=None,
                           closed_at=datetime(2026, 11, 25, 3)),
        }


def _html(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def _text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_digest_right_mails_to_right_units(
    factory: sessionmaker[Session], smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    ids = _seed(factory)
    report = run_digests(factory, _settings(port), AS_OF, NOW)
    assert report.count("sent") == 3 and report.count("failed") == 0
    assert {o.unit for o in report.outcomes if o.status == "skipped"} == {"无邮箱单位"}
    [finance] = inbox.to("czj@example.test")
    text = _text(finance)
    for key in ("overdue", "new", "sent_back", "confirm"):
        assert f"http://xunwang.example.test/items/{ids[key]}" in text
    assert f"/items/{ids['edu']}" not in text
    assert "已超期" in text and "退回" in text and "待确认" in text and "新发现" in text
    assert f"错别字“按装”共 2 处（示例区政府）：#{ids['sent_back']} #{ids['confirm']}" in text
    [edu] = inbox.to("jyj@example.test")
    assert f"/items/{ids['edu']}" in _text(edu) and "即将到期" in _text(edu)
    assert f"/items/{ids['quiet']}" not in _text(edu)
    [office] = inbox.to("office@example.test")
    office_text = _text(office)
    assert "财政局" in office_text and "教育局" in office_text
    assert "数据库连接中断" in office_text and f"/items/{ids['overdue']}" in office_text
    assert "财政局整改提醒" in str(finance["Subject"]) and "已超期 1 项" in str(finance["Subject"])
    assert "示例区政府：不合格 1/3/1/1" in office_text  # scorecard of the live items


def test_digest_html_is_inert_and_privacy_stays_masked(
    factory: sessionmaker[Session], smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    _seed(factory)
    run_digests(factory, _settings(port), AS_OF, NOW)
    for message in (inbox.to("czj@example.test")[0], inbox.to("office@example.test")[0]):
        html = _html(message)
        assert "<script>" not in html and "<img" not in html
        assert "110101********1234" in html  # the masked form, as stored
        assert not re.search(r"\d{11,}", _text(message) + html)
    finance_html = _html(inbox.to("czj@example.test")[0])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in finance_html
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in finance_html


def test_digest_kept_when_server_down_and_sent_once_when_back(
    factory: sessionmaker[Session],
) -> None:
    _seed(factory)
    port = _free_port()  # nothing listens here yet
    settings = _settings(port)
    down = run_digests(factory, settings, AS_OF, NOW)
    assert down.count("failed") == 3 and down.count("sent") == 0
    with factory() as session:
        rows = session.scalars(select(Digest)).all()
        assert {r.status for r in rows} == {"failed"} and all(r.attempts == 1 for r in rows)
        assert all(r.last_error for r in rows)
    inbox = Inbox()
    controller = _start(inbox, port)
    try:
        back = run_digests(factory, settings, AS_OF, NOW)
        again = run_digests(factory, settings, AS_OF, NOW)
    finally:
        controller.stop()
    assert back.count("sent") == 3
    assert again.count("sent") == 0 and again.count("already_sent") == 3
    assert sorted(len(inbox.to(a)) for a in (
        "czj@example.test", "jyj@example.test", "office@example.test")) == [1, 1, 1]
    with factory() as session:
        assert {r.status for r in session.scalars(select(Digest))} == {"sent"}


def test_digest_login_over_plain_smtp(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    factory = make_sessionmaker(engine)
    _seed(factory)
    seen: list[tuple[str, str]] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        seen.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret")

    inbox, port = Inbox(), _free_port()
    controller = _start(inbox, port, authenticator=authenticate, auth_require_tls=False)
    try:
        bad = run_digests(factory, _settings(port, username="xw", password="wrong"),
                          AS_OF, NOW, unit="财政局")
        good = run_digests(factory, _settings(port, username="xw", password="s3cret"),
                           AS_OF, NOW, unit="财政局")
    finally:
        controller.stop()
        engine.dispose()
    assert bad.count("failed") == 1 and good.count("sent") == 1
    assert seen[-1] == ("xw", "s3cret")
    assert [m["To"] for m in (x for _, _, x in inbox.messages)] == ["czj@example.test"]


def test_digest_outbox_without_smtp(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    factory = make_sessionmaker(engine)
    _seed(factory)
    settings = _settings(25, smtp_host="")
    report = run_digests(factory, settings, AS_OF, NOW, outbox=tmp_path / "out")
    engine.dispose()
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert report.count("sent") == 3 and len(files) == 3
    assert all(name.endswith(".eml") for name in files)
    message = parse((tmp_path / "out" / files[0]).read_text())
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None


def test_digest_preview_records_nothing(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    factory = make_sessionmaker(engine)
    _seed(factory)
    report = run_digests(factory, _settings(9), AS_OF, NOW, send=False)
    with factory() as session:
        assert session.scalars(select(Digest)).all() == []
    engine.dispose()
    assert report.count("preview") == 3


def test_office_digest_names_scheduled_jobs_that_failed_before_a_run(sqlite_url: str) -> None:
    from store.models import JobRun

    engine = make_engine(sqlite_url)
    factory = make_sessionmaker(engine)
    _seed(factory)
    with factory.begin() as session:
        session.add(JobRun(job="patrol:site:区政府", started_at=datetime(2026, 11, 26, 2, 0),
                           status="failed", detail="PatrolError: no site named '区政府'"))
        session.add(JobRun(job="patrol:site:教育局", started_at=datetime(2026, 11, 26, 2, 5),
                           status="failed", detail="run=3 status=failed reason=x"))
    report = run_digests(factory, _settings(9), AS_OF, NOW, send=False)
    engine.dispose()
    office = next(o for o in report.outcomes if not o.unit)
    body = parse(office.message).get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "patrol:site:区政府" in text and "no site named" in text
    assert "patrol:site:教育局" not in text  # its run is listed with the runs


def test_office_digest_lists_a_killed_patrol_as_interrupted(sqlite_url: str) -> None:
    from store import runs
    from tests.store.test_runs import dead_pid

    engine = make_engine(sqlite_url)
    factory = make_sessionmaker(engine)
    _seed(factory)
    here = runs.this_process()
    with factory.begin() as session:
        killed = runs.start_run(session, kind="patrol", as_of=AS_OF, now=datetime(2026, 11, 27, 2),
                                targets=["区政府"], process=runs.Process(dead_pid(), here.host))
    report = run_digests(factory, _settings(9), AS_OF, NOW, send=False)
    with factory() as session:
        run = session.get(Run, killed)
        assert run is not None and run.status == "interrupted"
    engine.dispose()
    office = next(o for o in report.outcomes if not o.unit)
    body = parse(office.message).get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert f"巡检 #{killed}（{AS_OF.isoformat()}）中断：巡查进程" in text
