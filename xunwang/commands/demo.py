"""``xunwang demo``: the whole loop on embedded defaults, for a first look (``make demo``)."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import click

from core.clock import local_now
from core.settings import Settings, load_settings
from reports.progress import ProgressLine
from reports.summary import patrol_summary, scorecards_text, unreachable_sites
from scheduler.patrol import run_patrol

DEMO_USER = "admin"


def register(group: click.Group) -> None:
    group.add_command(demo)


def _write_config(folder: Path, site: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "xunwang.db"
    for stale in (db, folder / "xunwang.db-wal", folder / "xunwang.db-shm"):
        stale.unlink(missing_ok=True)
    path = folder / "xunwang.toml"
    text = site.config_toml(db_url=f"sqlite:///{db.resolve()}",  # type: ignore[attr-defined]
                            outbox=str((folder / "outbox").resolve()))
    path.write_text(text, encoding="utf-8")
    return path


def _digests(settings: Settings, as_of: date, outbox: Path) -> str:
    from reports.digest import run_digests
    from store.session import make_engine, make_sessionmaker

    engine = make_engine(settings.db.url)
    try:
        report = run_digests(make_sessionmaker(engine), settings, as_of,
                             local_now(settings.schedule.timezone),
                             outbox=outbox, send=True)
    finally:
        engine.dispose()
    where = "已发送" if settings.mail.smtp_host else "已写入发件箱"
    return (f"{where} {report.count('sent')} 封，失败 {report.count('failed')} 封，"
            f"此前已发送 {report.count('already_sent')} 封")


def _yearbook(settings: Settings, year: int) -> str:
    from reports.yearbook import build_yearbook, render_text
    from store.session import make_engine, make_sessionmaker

    engine = make_engine(settings.db.url)
    try:
        with make_sessionmaker(engine)() as session:
            return render_text(build_yearbook(session, settings, year))
    finally:
        engine.dispose()


def _screenshots(settings: Settings) -> str:
    """Where the demo's screenshots are and the item pages that show them."""
    from core.settings import screenshot_dir
    from store.screenshots import items_with_screenshots
    from store.session import make_engine, make_sessionmaker

    engine = make_engine(settings.db.url)
    try:
        with make_sessionmaker(engine)() as session:
            total, first = items_with_screenshots(session, limit=3)
    finally:
        engine.dispose()
    if not total:
        return "  本次巡查没有拍摄截图"
    lines = [f"  {total} 个问题附有页面截图（问题位置红框标出，个人号码已遮盖），"
             f"保存在 {screenshot_dir(settings).resolve()}",
             "  登录网页后打开问题页面查看，例如："]
    lines += [f"  {settings.web.base_url}/items/{item_id}" for item_id in first]
    return "\n".join(lines)


def _attacked(site: object, settings: Settings, config: Path, day: date) -> str:
    """Patrol the ``attacked`` state on a copy of the database (the baseline a later patrol
    needs for new script hosts); the demo's own list, digests and items stay as they were."""
    import sqlite3

    folder = config.parent / "attacked"
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "xunwang.db"
    copy.unlink(missing_ok=True)
    source = settings.db.url.removeprefix("sqlite:///")
    with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    attacked = load_settings(config, overrides={"db": {"url": f"sqlite:///{copy.resolve()}"},
                                                "mail": {"outbox": str((folder / "outbox").resolve())}})
    site.set_state("attacked")  # type: ignore[attr-defined]
    result = run_patrol(attacked, as_of=day)
    found = sorted((f.to_json() for f in result.findings if f.rule.startswith("security-")),
                   key=lambda f: (f["rule"], f["url"], f.get("target") or "", f.get("text") or ""))
    lines = [f"  网站被入侵后（演示状态 attacked）再巡查一遍，发现 {len(found)} 个安全问题："]
    lines += [f"  [{f['severity']}] {f['rule']}  {f['url']}  {f.get('target') or f.get('text') or ''}"
              for f in found]
    lines.append(f"  告警邮件写入 {(folder / 'outbox').resolve()}；数据库副本 {copy.resolve()}")
    return "\n".join(lines)


def _demo_user(settings: Settings) -> str:
    from store.session import make_engine, make_sessionmaker
    from web.users import add_user

    password = secrets.token_urlsafe(9)
    engine = make_engine(settings.db.url)
    try:
        with make_sessionmaker(engine).begin() as session:
            add_user(session, DEMO_USER, password, "admin", "",
                     local_now(settings.schedule.timezone))
    finally:
        engine.dispose()
    return password


@click.command()
@click.option("--folder", type=click.Path(file_okay=False), default=".demo", show_default=True,
              help="演示用的配置、数据库和发件箱所在目录。")
@click.option("--articles", type=int, default=300, show_default=True)
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD")
def demo(folder: str, articles: int, as_of: str | None) -> None:
    """启动演示网站群，巡检一遍，把摘要邮件写入发件箱，并说明如何打开网页列表。

    示例：

        xunwang demo --folder .demo
    """
    from xunwang.demo import DemoSite

    day = date.fromisoformat(as_of) if as_of else local_now(Settings().schedule.timezone).date()
    root = Path(folder)
    with DemoSite(as_of=day, articles=articles) as site:
        config = _write_config(root, site)
        settings = load_settings(config)
        click.echo(f"演示站点已启动：{', '.join(s['url'] for s in site.sites)}")
        progress = ProgressLine()
        result = run_patrol(settings, as_of=day, on_progress=progress)
        progress.close()
        click.echo(patrol_summary(result, scorecards_text(result.findings, settings,
                                                          unreachable_sites(result))))
        click.echo("\n正在巡查被入侵后的演示网站（attacked 状态，数据库副本）……")
        attacked = _attacked(site, settings, config, day)
    click.echo(f"\n【年度数据】\n{_yearbook(settings, day.year)}")
    click.echo(f"  表格：.venv/bin/xunwang yearbook --config {config} --year {day.year} --xlsx 年度数据.xlsx")
    outbox = root / "outbox"
    click.echo(f"\n【整改通知】{_digests(settings, day, outbox)}")
    click.echo(f"  邮件已写入 {outbox.resolve()}（.eml 文件，可用邮件客户端打开）")
    click.echo(f"\n【问题截图】\n{_screenshots(settings)}")
    password = _demo_user(settings)
    click.echo("\n【整改清单网页】")
    click.echo(f"  启动：.venv/bin/xunwang web --config {config}")
    click.echo(f"  打开：{settings.web.base_url}/ 用户名 {DEMO_USER}，密码 {password}")
    click.echo(f"\n【安全巡查】\n{attacked}")
