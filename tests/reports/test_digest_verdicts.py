"""Issue 14 §5: the digest's Date header, items counted once, and the unit mail's remainder."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from sqlalchemy.orm import Session, sessionmaker

from reports.digest import run_digests
from reports.mail import parse
from tests.reports.test_digest import AS_OF, NOW, _item, _settings, _text

__all__ = ["factory"]
from tests.reports.test_digest import factory  # noqa: E402  (fixture)


def _unit_mail(factory: sessionmaker[Session], unit: str = "财政局") -> str:
    report = run_digests(factory, _settings(9), AS_OF, NOW, unit=unit, send=False)
    [outcome] = [o for o in report.outcomes if o.unit == unit]
    return outcome.message


def test_digest_date_header_is_the_local_time_with_its_offset(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        _item(session, "a", first_seen=AS_OF)
    message = parse(_unit_mail(factory))
    sent = parsedate_to_datetime(str(message["Date"]))
    assert sent.tzinfo is not None and sent.utcoffset() == timedelta(hours=8)
    # 08:00 in Asia/Shanghai is 00:00 UTC: the same instant, not 8 h off.
    assert sent.astimezone(UTC) == datetime(2026, 11, 27, 0, 0, tzinfo=UTC)


def test_unit_digest_lists_an_overdue_sent_back_item_once(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        both = _item(session, "a", state="sent_back", deadline=date(2026, 11, 20))
    message = parse(_unit_mail(factory))
    text = _text(message)
    assert text.count(f"/items/{both}") == 1
    assert "共 1 项" in text
    assert "已超期 1 项" in str(message["Subject"]) and "退回" not in str(message["Subject"])


def test_unit_digest_says_how_many_open_items_it_does_not_list(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        _item(session, "a", deadline=date(2026, 11, 20))  # overdue: listed
        for n in range(3):  # open, deadline far away, seen before: not listed
            _item(session, f"quiet{n}", deadline=date(2026, 12, 30))
        _item(session, "fixed", state="fixed_pending", deadline=date(2026, 12, 30))
    message = parse(_unit_mail(factory))
    text = _text(message)
    assert "另有 4 项，见网页" in text
    html = message.get_body(("html",))
    assert html is not None and "另有 4 项，见网页" in str(html.get_content())


def test_office_digest_lists_pending_dismissal_requests(
    factory: sessionmaker[Session],
) -> None:
    with factory.begin() as session:
        pending = _item(session, "a", state="dismiss_requested", severity="veto",
                        rule="privacy-id-number", message="泄露身份证号")
        _item(session, "b")
    report = run_digests(factory, _settings(9), AS_OF, NOW, send=False)
    office = next(o for o in report.outcomes if not o.unit)
    text = _text(parse(office.message))
    assert "【待审核的忽略申请】1 项" in text and f"/items/{pending}" in text
