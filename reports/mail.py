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

from core.errors import MailError, MailUncertain
from core.settings import MailConfig

_SAFE_NAME = re.compile(r"[^\w.-]+")
_CRLF = re.compile(r"\r\n|\n|\r")


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
    where = f"{config.smtp_host}:{config.smtp_port}"
    try:
        with _connect(config) as smtp:
            if config.username:
                smtp.login(config.username, config.password.get_secret_value())
            _transmit(smtp, config.sender, to, message, where)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"邮件发送失败（{where}）：{error}") from None
    return f"smtp://{where}"


def message_id(message: str) -> str:
    """The Message-ID header of a stored message ("" when it has none)."""
    return str(parse(message)["Message-ID"] or "").strip()


def _transmit(smtp: smtplib.SMTP, sender: str, to: list[str], message: str, where: str) -> None:
    """MAIL, RCPT and DATA, telling "not delivered" from "may have been delivered".

    Anything that fails before the message body went out, and any error reply to it, is a
    MailError (nothing was delivered: retry). A lost connection or a timeout while the
    body goes out or while waiting for the reply to it is MailUncertain: the server may
    have taken it, so it must not be resent blindly.
    """
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for address in to:
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, reply)
    if len(refused) == len(to):
        raise smtplib.SMTPRecipientsRefused(refused)
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    body = re.sub(r"(?m)^\.", "..", _CRLF.sub("\r\n", message))
    if not body.endswith("\r\n"):
        body += "\r\n"
    try:
        smtp.send(body.encode("ascii", "replace") + b".\r\n")
        code, reply = smtp.getreply()
    except (OSError, smtplib.SMTPException) as error:
        raise MailUncertain(
            f"邮件已发出但未收到服务器确认（{where}）：{error}；可能已送达，不自动重发"
        ) from None
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)


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
