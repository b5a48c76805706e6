"""Mail delivery: build a text+HTML message, send it over SMTP or drop it in an outbox."""

from __future__ import annotations

import re
import smtplib
import ssl
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path

from core.errors import MailError
from core.settings import MailConfig

_SAFE_NAME = re.compile(r"[^\w.-]+")


def recipients(value: str) -> list[str]:
    """Addresses from a setting that may list several, separated by commas or semicolons."""
    return [a.strip() for a in re.split(r"[,;]", value or "") if a.strip()]


def build_message(
    sender: str, to: list[str], subject: str, text: str, html: str, now: datetime,
) -> str:
    """An RFC 5322 message (ASCII only: quoted-printable parts) with text and HTML.

    ``now`` should be aware: a naive time is written as UTC ("-0000" would make every
    mail client read local wall time as UTC).
    """
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    msg.set_content(text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg.as_string()


def parse(message: str) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(message.encode("ascii", "replace"))
    assert isinstance(parsed, EmailMessage)
    return parsed


def send_smtp(message: str, config: MailConfig) -> str:
    """Send a stored message; returns where it went, raises MailError on any failure."""
    parsed = parse(message)
    to = recipients(str(parsed["To"] or ""))
    if not config.smtp_host:
        raise MailError("未配置 SMTP 服务器（mail.smtp_host）；请配置或使用 --outbox 目录")
    try:
        with _connect(config) as smtp:
            if config.username:
                smtp.login(config.username, config.password.get_secret_value())
            smtp.sendmail(config.sender, to, message.encode("ascii", "replace"))
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(
            f"邮件发送失败（{config.smtp_host}:{config.smtp_port}）：{error}"
        ) from None
    return f"smtp://{config.smtp_host}:{config.smtp_port}"


def _connect(config: MailConfig) -> smtplib.SMTP:
    timeout = config.timeout_seconds
    if config.security == "ssl":
        return smtplib.SMTP_SSL(config.smtp_host, config.smtp_port, timeout=timeout,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=timeout)
    try:
        if config.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    except BaseException:
        smtp.close()
        raise
    return smtp


def write_outbox(message: str, folder: Path, name: str) -> str:
    """Write ``message`` as ``folder/name.eml``; returns the path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (_SAFE_NAME.sub("_", name).strip("_") + ".eml")
        path.write_text(message, encoding="ascii", errors="replace")
    except OSError as error:
        raise MailError(f"无法写入发件箱 {folder}：{error}") from None
    return str(path)
