"""Daily digests: one mail per responsible unit, one summary for the office.

Each digest is rendered and recorded in the ``digests`` table (key = as_of + recipient)
BEFORE it is sent, in its own transaction; two runs racing to record it leave one row.
Sending claims the row (status ``sending``, ``attempts + 1``, who: recorded before a byte
goes out, so two runs never send the same row), delivers, and records the result: ``sent``
is never sent again; ``failed`` (known not delivered) is retried by the next run;
``uncertain`` (no reply after the message went out, or the sender died mid-send) keeps its
Message-ID and is not resent unless someone says it did not arrive
(``xunwang digest --resend KEY``). Only today's digests are sent: older unsent ones are
superseded by today's, which lists everything new since the last one that went out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session, sessionmaker

from core.errors import ConfigError, MailError, MailUncertain
from core.settings import Settings
from reports.digest_views import office_digest, unit_digest
from reports.mail import build_message, message_id, recipients, send_smtp, write_outbox
from store import digests, runs
from store.models import Digest
from store.session import transaction

TEMPLATES = Path(__file__).parent / "templates"
RETRY_DAYS = 7  # a digest after an outage lists at most this many days of news
Deliver = Callable[[str, str], str]


@dataclass(frozen=True)
class DigestOutcome:
    key: str
    unit: str  # "" for the office summary
    recipient: str
    status: str  # sent | failed | uncertain | skipped | already_sent | preview
    detail: str = ""  # where it went, the error, or why it was skipped
    message: str = ""  # the rendered message (preview only)


@dataclass(frozen=True)
class DigestReport:
    as_of: date
    outcomes: tuple[DigestOutcome, ...]

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def environment() -> Environment:
    """Jinja2 for digests: HTML autoescaped; text parts (text/plain) are not HTML."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined, keep_trailing_newline=True,
    )


def _render(env: Environment, name: str, **context: Any) -> tuple[str, str]:
    return (env.get_template(f"{name}.txt").render(**context),
            env.get_template(f"{name}.html").render(**context))


def _since(session: Session, unit: str, as_of: date) -> date:
    """Items first seen after the unit's previous delivered digest are new (at most a week
    back); digests that never went out (an outage) do not count as previous."""
    last = digests.last_unit_digest_day(session, unit, as_of)
    floor = as_of - timedelta(days=RETRY_DAYS)
    if last:
        return max(last + timedelta(days=1), floor)
    missed = digests.first_missed_unit_day(session, unit, as_of)  # an outage from the start
    return max(missed, floor) if missed else as_of - timedelta(days=1)


def _compose_unit(
    session: Session, env: Environment, settings: Settings, unit: str, as_of: date,
) -> tuple[str, str, str] | None:
    d = unit_digest(session, settings, unit, as_of, _since(session, unit, as_of))
    if d.total == 0:
        return None
    summary = "，".join(f"{s.title} {len(s.items)} 项" for s in d.sections if s.items)
    subject = f"【巡网】{unit}整改提醒（{as_of.isoformat()}）：{summary}"
    text, html = _render(env, "digest_unit", d=d, subject=subject, as_of=as_of,
                         base_url=d.base_url)
    return subject, text, html


def _compose_office(
    session: Session, env: Environment, settings: Settings, as_of: date,
) -> tuple[str, str, str]:
    o = office_digest(session, settings, as_of)
    subject = (f"【巡网】巡检整改日报（{as_of.isoformat()}）：在办 {o.trend.live_now} 项，"
               f"超期 {sum(r.overdue for r in o.units)} 项")
    text, html = _render(env, "digest_office", o=o, subject=subject, as_of=as_of,
                         base_url=o.base_url)
    return subject, text, html


def _aware(now: datetime, settings: Settings) -> datetime:
    """``now`` with its zone: stored times are naive wall time of ``schedule.timezone``."""
    if now.tzinfo is not None:
        return now
    return now.replace(tzinfo=ZoneInfo(settings.schedule.timezone))


def _plan(settings: Settings, unit: str | None) -> list[tuple[str, str, str]]:
    """(key suffix, unit, recipient) for every digest due; office only without --unit."""
    plan = [(f"unit:{u.name}", u.name, u.email) for u in settings.units
            if unit is None or u.name == unit]
    if unit is None:
        plan.append(("office", "", settings.mail.office_email))
    return plan


def _record(
    factory: sessionmaker[Session], settings: Settings, as_of: date, now: datetime,
    unit: str | None, send: bool,
) -> list[DigestOutcome]:
    """Render and record today's digests; returns outcomes for those not recorded."""
    env = environment()
    outcomes: list[DigestOutcome] = []
    for suffix, name, address in _plan(settings, unit):
        key = f"{as_of.isoformat()}:{suffix}"
        if not recipients(address):
            outcomes.append(DigestOutcome(key, name, "", "skipped", "未配置收件邮箱"))
            continue
        with factory() as session:  # read only: composing takes a while, writes wait
            status = digests.status_of(session, key)
            if status is not None:
                outcomes += _recorded(key, name, address, status)
                continue  # recorded by an earlier run: sent, uncertain, or retried below
            composed = (_compose_unit(session, env, settings, name, as_of) if name
                        else _compose_office(session, env, settings, as_of))
        if send:
            with transaction(factory) as session:  # today's replaces older unsent ones
                digests.supersede(session, unit=name, office=not name, before=as_of)
        if composed is None:
            outcomes.append(DigestOutcome(key, name, address, "skipped", "无待办事项"))
            continue
        subject, text, html = composed
        message = build_message(settings.mail.sender, recipients(address), subject, text,
                                html, _aware(now, settings))
        if not send:
            outcomes.append(DigestOutcome(key, name, address, "preview", subject, message))
            continue
        with transaction(factory) as session:
            digests.add_digest(session, key=key, recipient=address, unit=name, as_of=as_of,
                               subject=subject, message=message,
                               message_id=message_id(message), now=now)
    return outcomes


def _recorded(key: str, unit: str, address: str, status: str) -> list[DigestOutcome]:
    if status == digests.SENT:
        return [DigestOutcome(key, unit, address, "already_sent",
                              "今天的摘要此前已发送，不重复发送")]
    return []  # pending / failed: delivered below; sending / uncertain: reported below


def _claim(factory: sessionmaker[Session], row_id: int, attempts: int, now: datetime) -> bool:
    with transaction(factory) as session:
        return digests.claim(session, row_id, attempts, runs.this_process(), now)


def deliver_one(
    factory: sessionmaker[Session], row: Digest, deliver: Deliver, now: datetime,
) -> DigestOutcome:
    if not _claim(factory, row.id, row.attempts, now):
        return DigestOutcome(row.key, row.unit, row.recipient, "already_sent", "另一进程正在发送")
    try:
        where = deliver(row.message, row.key)
    except MailUncertain as error:
        with transaction(factory) as session:
            digests.mark_uncertain(session, row.id, str(error))
        return _uncertain(row, str(error))
    except MailError as error:
        with transaction(factory) as session:
            digests.mark_failed(session, row.id, str(error))
        return DigestOutcome(row.key, row.unit, row.recipient, "failed", str(error))
    with transaction(factory) as session:
        digests.mark_sent(session, row.id, now, where)
    return DigestOutcome(row.key, row.unit, row.recipient, "sent", where)


def _uncertain(row: Digest, error: str) -> DigestOutcome:
    return DigestOutcome(
        row.key, row.unit, row.recipient, "uncertain",
        f"发送结果不明，未重发（Message-ID {row.message_id}）：{error}；"
        f"如确认未收到，运行 xunwang digest --resend {row.key}")


def deliverer(settings: Settings, outbox: Path | None) -> Deliver:
    if outbox is None and settings.mail.smtp_host:
        return lambda message, _key: send_smtp(message, settings.mail)
    folder = outbox if outbox is not None else Path(settings.mail.outbox)
    return lambda message, key: write_outbox(message, folder, key)


def _due(factory: sessionmaker[Session], as_of: date, unit: str | None) -> list[Digest]:
    with factory() as session:  # closing it detaches the rows, for use after
        return digests.due(session, as_of, unit)


def _unconfirmed(
    factory: sessionmaker[Session], as_of: date, unit: str | None, keys: set[str],
) -> list[DigestOutcome]:
    """Today's digests nobody could confirm (and this run did not just try)."""
    with factory() as session:
        rows = digests.uncertain(session, as_of)
    return [_uncertain(r, r.last_error) for r in rows
            if r.as_of == as_of and r.key not in keys and (unit is None or r.unit == unit)]


def resend(factory: sessionmaker[Session], key: str) -> bool:
    """Someone knows the uncertain digest ``key`` did not arrive: send it at the next run."""
    with transaction(factory) as session:
        return digests.resend(session, key)


def run_digests(
    factory: sessionmaker[Session], settings: Settings, as_of: date, now: datetime, *,
    unit: str | None = None, outbox: Path | None = None, send: bool = True,
) -> DigestReport:
    """Record today's digests, then deliver every pending or failed one (SMTP or outbox).

    ``send=False`` renders without recording or delivering (a preview).
    """
    if unit is not None and unit not in {u.name for u in settings.units}:
        raise ConfigError(f"没有名为 {unit!r} 的责任单位（见配置 [[units]]）")
    with transaction(factory) as session:  # the office digest lists runs that failed
        runs.mark_interrupted(session, now)
        digests.reconcile(session, now, runs.this_process())  # senders that died mid-send
    outcomes = _record(factory, settings, as_of, now, unit, send)
    if send:
        deliver = deliverer(settings, outbox)
        outcomes += [deliver_one(factory, row, deliver, now)
                     for row in _due(factory, as_of, unit)]
        outcomes += _unconfirmed(factory, as_of, unit, {o.key for o in outcomes})
    return DigestReport(as_of=as_of, outcomes=tuple(outcomes))
