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
@click.option("--unit", default=None, help="只处理这个责任单位（不发办公室日报）。")
@click.option("--send", "mode", flag_value="send", help="通过 SMTP 发送（[mail] smtp_host）。")
@click.option("--outbox", "outbox", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="不发送，把 .eml 文件写入此目录。")
@click.option("--preview", "mode", flag_value="preview",
              help="只生成并打印邮件主题，不记录、不发送。")
@click.option("--resend", "resend_key", default=None, metavar="KEY",
              help="状态不确定的摘要（见 xunwang status）确实没有收到：重新发送。")
def digest(
    config_path: str | None, db_url: str | None, as_of: str | None, unit: str | None,
    mode: str | None, outbox: Path | None, resend_key: str | None,
) -> None:
    """给每个责任单位发送新发现、即将到期、已超期、退回和待确认的问题，并给办公室发送日报。

    每封摘要先记录再发送：发送失败的下次重试，不会重复发送；投递状态不确定的（邮件发出后
    服务器没有应答）不会自动重发，除非用 --resend KEY 说明确实没有收到。未指定 --send 或
    --outbox 时，配置了 [mail] smtp_host 就用 SMTP，否则写入 [mail] outbox 目录。

    示例：

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
