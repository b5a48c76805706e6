"""Immediate alert mails: a security incident reaches people when the patrol ends.

A veto finding of a security rule, and a ``wording-severe`` or ``privacy-id-number`` one,
is mailed to the office and the item's responsible unit as soon as the patrol that found
it ends, once per item (recorded before sending, under the key ``alert:<item id>``, like
digests: a failed send is retried by the next patrol or digest run, never doubled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from checks.registry import title
from checks.security import SECURITY_RULE_IDS
from core.settings import Settings
from reports.digest import deliver_one, deliverer
from reports.mail import build_message, message_id, recipients
from store import digests, security
from store.models import Digest, Item
from store.session import transaction

SECURITY_RULES = SECURITY_RULE_IDS
ALERT_RULES = SECURITY_RULES | {"wording-severe", "privacy-id-number"}


@dataclass(frozen=True)
class AlertOutcome:
    item_id: int
    recipient: str
    status: str  # sent | failed | skipped | already_sent
    detail: str = ""


def _addresses(settings: Settings, unit: str) -> list[str]:
    out = recipients(settings.mail.office_email)
    for configured in settings.units:
        if configured.name == unit:
            out += [a for a in recipients(configured.email) if a not in out]
    return out


def _compose(settings: Settings, item: Item) -> tuple[str, str, str]:
    where = item.site or item.account or ""
    subject = f"【安全告警】{where}：{title(item.rule)}"
    lines = [f"巡网在 {where} 发现单项否决问题，请立即处置：", "",
             f"问题：{title(item.rule)}", f"说明：{item.message}", f"位置：{item.url}"]
    if item.target:
        lines.append(f"链接：{item.target}")
    if item.text:
        lines.append(f"内容：{item.text}")
    for key, value in (item.evidence or {}).items():
        if isinstance(value, str | int | bool) and value not in ("", None):
            lines.append(f"{key}：{value}")
    lines += ["", f"责任单位：{item.unit or '（未指定）'}",
              f"整改期限：{item.deadline.isoformat() if item.deadline else '待确认'}",
              f"详情：{settings.web.base_url.rstrip('/')}/items/{item.id}"]
    text = "\n".join(lines)
    html = "<html><body><h2 style='color:#b00'>" + escape(subject) + "</h2><pre>" + \
        escape(text) + "</pre></body></html>"
    return subject, text, html


def _record(session: Session, settings: Settings, item: Item, now: datetime) -> str | None:
    key = f"alert:{item.id}"
    if digests.status_of(session, key) is not None:
        return None
    to = _addresses(settings, item.unit)
    if not to:
        return None
    subject, text, html = _compose(settings, item)
    message = build_message(settings.mail.sender, to, subject, text, html, now)
    digests.add_digest(session, key=key, recipient=", ".join(to), unit=item.unit,
                       as_of=now.date(), subject=subject, message=message,
                       message_id=message_id(message), now=now)
    return key


def send_alerts(factory: sessionmaker[Session], settings: Settings, run_id: int, now: datetime,
                *, outbox: Path | None = None) -> list[AlertOutcome]:
    """Record and send the alert of every alertable item run ``run_id`` saw, once per item."""
    with transaction(factory) as session:
        keys = [k for item in security.alert_items(session, run_id, ALERT_RULES)
                if (k := _record(session, settings, item, now)) is not None]
    if not keys:
        return []
    deliver = deliverer(settings, outbox)
    with factory() as session:
        rows: list[Digest] = digests.by_keys(session, keys)
    return [AlertOutcome(int(row.key.split(":")[1]), row.recipient, outcome.status,
                         outcome.detail)
            for row in rows for outcome in [deliver_one(factory, row, deliver, now)]]
