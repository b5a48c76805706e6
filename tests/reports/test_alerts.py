"""Alert mails for security incidents: sent when the patrol ends, once per item (aiosmtpd)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from reports.alerts import send_alerts
from store.models import Digest, Item, Run

from .test_digest import Inbox, _settings, _text, factory, smtp  # noqa: F401

NOW = datetime(2026, 11, 27, 3, 0)


def _item(session: Session, run_id: int, fp: str, **fields: Any) -> int:
    values: dict[str, Any] = {
        "fingerprint": fp, "rule": "security-dark-link", "severity": "veto", "site": "示例区政府",
        "url": "http://127.0.0.1:8001/", "target": "http://bet.example/", "message": "隐藏的外部链接",
        "state": "open", "unit": "财政局", "deadline": date(2026, 12, 2),
        "first_seen": date(2026, 11, 27), "last_seen": date(2026, 11, 27), "updated_at": NOW,
        "evidence": {"how": "display:none", "anchor": "百家乐"}, "last_run_id": run_id,
    }
    values.update(fields)
    item = Item(**values)
    session.add(item)
    session.flush()
    return item.id


def test_alerts_go_to_office_and_unit_once_per_item(
        factory: sessionmaker[Session], smtp: tuple[Inbox, int]) -> None:  # noqa: F811
    inbox, port = smtp
    settings = _settings(port)
    with factory.begin() as session:
        run = Run(as_of=date(2026, 11, 27), started_at=NOW, status="complete")
        session.add(run)
        session.flush()
        dark = _item(session, run.id, "a")
        _item(session, run.id, "b", rule="wording-severe", unit="教育局", message="台湾总统")
        _item(session, run.id, "c", rule="link-broken", severity="deduct")  # not an alert
        _item(session, run.id, "d", rule="security-dark-link", severity="warn")  # a warning
        _item(session, run.id, "e", state="dismissed")  # a person said no
        run_id = run.id
    outcomes = send_alerts(factory, settings, run_id, NOW)
    assert sorted(o.status for o in outcomes) == ["sent", "sent"]
    office = inbox.to("office@example.test")
    assert len(office) == 2 and len(inbox.to("czj@example.test")) == 1
    mail = inbox.to("czj@example.test")[0]
    assert "安全告警" in str(mail["Subject"]) and "http://bet.example/" in _text(mail)
    assert f"/items/{dark}" in _text(mail)
    assert send_alerts(factory, settings, run_id, NOW) == []  # once per item
    assert len(inbox.messages) == 2
    with factory() as session:
        assert session.query(Digest).filter(Digest.key.like("alert:%")).count() == 2


def test_unit_digest_puts_security_incidents_first_and_apart(
        factory: sessionmaker[Session]) -> None:  # noqa: F811
    from reports.digest_views import unit_digest

    with factory.begin() as session:
        run = Run(as_of=date(2026, 11, 27), started_at=NOW, status="complete")
        session.add(run)
        session.flush()
        dark = _item(session, run.id, "a", deadline=date(2026, 11, 20))  # overdue too
        typo = _item(session, run.id, "b", rule="wording-typo", severity="deduct",
                     deadline=date(2026, 11, 20))
    with factory() as session:
        digest = unit_digest(session, _settings(25), "财政局", date(2026, 11, 27),
                             date(2026, 11, 20))
    assert digest.sections[0].key == "security"
    assert [i.id for i in digest.sections[0].items] == [dark]
    overdue = next(s for s in digest.sections if s.key == "overdue")
    assert [i.id for i in overdue.items] == [typo]  # not listed twice


def test_office_digest_counts_incidents_by_site_over_7_and_365_days(
        factory: sessionmaker[Session]) -> None:  # noqa: F811
    from reports.digest_views import office_digest

    with factory.begin() as session:
        run = Run(as_of=date(2026, 11, 27), started_at=NOW, status="complete")
        session.add(run)
        session.flush()
        _item(session, run.id, "a")  # this week
        _item(session, run.id, "b", first_seen=date(2026, 6, 1), state="closed")  # this year
        _item(session, run.id, "c", first_seen=date(2025, 6, 1))  # too old
        _item(session, run.id, "d", severity="warn", rule="mixed-content")  # not an incident
    with factory() as session:
        digest = office_digest(session, _settings(25), date(2026, 11, 27))
    assert digest.incidents == (("示例区政府", 1, 2),)
