"""``xunwang digest``: the daily mails to responsible units and the office."""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from core.errors import ConfigError, MailError
from reports.digest import resend, run_digests
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker
from xunwang.commands.options import as_of_option, build_settings, config_options, parse_as_of

STATUS_LABELS = {"sent": "已发送", "failed": "发送失败（已保留，下次重试）", "skipped": "跳过",
                 "uncertain": "发送结果不明（未重发）",
                 "already_sent": "此前已发送", "preview": "预览"}


def register(group: click.Group) -> None:
    group.add_command(digest)


@click.command()
@config_options
@as_of_option
@click.option("--unit", default=None, help="Only this responsible unit (no office summary).")
@click.option("--send", "mode", flag_value="send", help="Send over SMTP ([mail] smtp_host).")
@click.option("--outbox", "outbox", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Write .eml files to this folder instead of sending.")
@click.option("--preview", "mode", flag_value="preview",
              help="Render and print the subjects; record and send nothing.")
@click.option("--resend", "resend_key", default=None, metavar="KEY",
              help="An uncertain digest (see xunwang status) did not arrive: send it again.")
def digest(
    config_path: str | None, db_url: str | None, as_of: str | None, unit: str | None,
    mode: str | None, outbox: Path | None, resend_key: str | None,
) -> None:
    """Mail each unit its new, due-soon, overdue, sent-back and to-confirm items, and the
    office its summary. Each digest is recorded before sending: a failed send is retried
    by the next run and none is sent twice; one whose delivery is uncertain (no reply from
    the server after the message went out) is not resent unless --resend KEY says it did
    not arrive. Without --send or --outbox, SMTP is used when
    [mail] smtp_host is set, else the [mail] outbox folder.

    Example:

        xunwang digest --outbox outbox/
        xunwang digest --unit 财政局 --send --as-of 2026-11-27
    """
    if mode == "send" and outbox is not None:
        raise ConfigError("digest: choose --send or --outbox DIR, not both")
    settings = build_settings(config_path, db_url)
    if mode == "send" and not settings.mail.smtp_host:
        raise ConfigError("digest --send: set [mail] smtp_host in the config, or use --outbox DIR")
    now = datetime.now(ZoneInfo(settings.schedule.timezone)).replace(tzinfo=None)
    day = parse_as_of(as_of, now.date())
    if resend_key is not None and as_of is None:
        with contextlib.suppress(ValueError):  # the key's own day: "2026-11-27:unit:…"
            day = date.fromisoformat(resend_key[:10])
    engine = make_engine(settings.db.url)
    try:
        upgrade(engine)
        if resend_key is not None and not resend(make_sessionmaker(engine), resend_key):
            raise ConfigError(f"digest --resend: 没有发送结果不明的摘要 {resend_key!r}（见 xunwang status）")
        report = run_digests(make_sessionmaker(engine), settings, day, now, unit=unit,
                             outbox=outbox, send=mode != "preview")
    finally:
        engine.dispose()
    for o in report.outcomes:
        who = o.unit or "办公室（汇总）"
        click.echo(f"{who}\t{o.recipient or '-'}\t{STATUS_LABELS.get(o.status, o.status)}"
                   f"\t{o.detail}")
    failed = report.count("failed")
    if failed:
        raise MailError(f"{failed} 封摘要发送失败，已保留，下次运行 xunwang digest 时重试")
