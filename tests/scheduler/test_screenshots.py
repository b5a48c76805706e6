"""Screenshots end to end: a patrol of a site on 127.0.0.1 with real Chromium takes them, the
item page shows them only to who may see the item, retention deletes them, and a browser that
cannot start leaves the patrol as it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from core.settings import Settings, load_settings, screenshot_dir
from rectification.actions import mark_fixed
from rectification.actor import SYSTEM
from rectification.queries import ItemFilter, all_items
from reports.digest import run_digests
from reports.export import HEADERS, thumbnails, write_xlsx
from scheduler.patrol import PatrolResult, run_patrol
from scheduler.retention import apply_retention
from store.models import Item, Screenshot
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, html
from tests.web.conftest import PASSWORD, WebEnv, _serve, login
from web.app import create_app
from web.users import add_user

AS_OF = date(2026, 11, 27)
ID = "110105199001011232"
TYPE = {"Content-Type": "text/html; charset=utf-8"}


def _routes() -> dict[str, tuple[int, dict[str, str], bytes]]:
    old = (AS_OF - timedelta(days=60)).isoformat()
    return {
        "/": (200, TYPE, html(
            f'<ul class="news"><li><a href="/a.html">关于名单的公示</a><span>{old}</span></li>'
            f'<li><a href="/b.html">工作通知</a><span>{old}</span></li></ul>', "示范区政府")),
        "/a.html": (200, TYPE, html(
            f"<h1>关于名单的公示</h1><p>申请人 张三 身份证号 {ID}</p><p>发布日期：{old}</p>",
            "关于名单的公示")),
        "/b.html": (200, TYPE, html(
            f"<h1>工作通知</h1><p>请与国务院法制办公室联系。</p><p>发布日期：{old}</p>",
            "工作通知")),
    }


def _settings(site: LocalSite, tmp: Path, **screenshots: object) -> Settings:
    return load_settings(None, environ={}, overrides={
        "sites": [{"name": "示范区政府", "url": site.url, "unit": "财政局", "render": "never"}],
        "units": [{"name": "财政局", "email": "czj@example.gov.cn"}, {"name": "教育局"}],
        "db": {"url": f"sqlite:///{tmp / 'xunwang.db'}"},
        "web": {"secret_key": "test-secret-key"},
        "crawler": {"timeout_seconds": 5, "retries": 0, "autothrottle": False},
        "screenshots": {"timeout_seconds": 20, **screenshots},
    })


@dataclass(frozen=True)
class Patrolled:
    settings: Settings
    first: PatrolResult
    second: PatrolResult


@pytest.fixture(scope="module")
def patrolled(tmp_path_factory: pytest.TempPathFactory) -> Patrolled:
    tmp = tmp_path_factory.mktemp("patrol")
    with LocalSite(_routes()) as site:
        settings = _settings(site, tmp)
        first = run_patrol(settings, as_of=AS_OF)
        second = run_patrol(settings, as_of=AS_OF)
    return Patrolled(settings, first, second)


def _rows(settings: Settings) -> list[Screenshot]:
    engine = make_engine(settings.db.url)
    try:
        with make_sessionmaker(engine)() as session:
            return list(session.scalars(select(Screenshot).order_by(Screenshot.id)))
    finally:
        engine.dispose()


def test_a_patrol_photographs_the_findings_a_picture_explains(patrolled: Patrolled) -> None:
    rules = {f.rule for f in patrolled.first.findings}
    assert {"privacy-id-number", "wording-outdated", "homepage-stale"} <= rules
    rows = _rows(patrolled.settings)
    assert {r.rule for r in rows} == {"privacy-id-number", "wording-outdated", "homepage-stale"}
    stats = dict(patrolled.first.stats["screenshots"])
    assert stats.pop("seconds") > 0
    assert stats == {"wanted": 3, "taken": 3, "failed": 0, "over_cap": 0}
    root = screenshot_dir(patrolled.settings)
    assert root == Path(patrolled.settings.db.url[len("sqlite:///"):]).parent / "shots"
    for row in rows:
        assert row.outlined, row.rule  # the term, the number's box, the newest homepage entry
        with Image.open(root / row.path) as image:
            assert image.size == (1280, 900)
        assert (root / row.thumb).is_file()
    privacy = next(r for r in rows if r.rule == "privacy-id-number")
    assert privacy.covered == 1


def test_a_second_patrol_does_not_photograph_the_same_findings_again(patrolled: Patrolled) -> None:
    assert len(_rows(patrolled.settings)) == 3
    assert "screenshots" not in patrolled.second.stats
    assert patrolled.second.status == "complete"


def test_the_screenshot_is_served_only_to_who_may_see_the_item(patrolled: Patrolled) -> None:
    settings = patrolled.settings
    engine = make_engine(settings.db.url)
    factory = make_sessionmaker(engine)
    now = datetime(2026, 11, 27, 10, 0)
    with factory.begin() as session:
        add_user(session, "caizheng", PASSWORD, "unit", "财政局", now)
        add_user(session, "jiaoyu", PASSWORD, "unit", "教育局", now)
        item = session.scalars(select(Item).where(Item.rule == "privacy-id-number")).one()
        item_id = item.id
    app = create_app(settings, session_factory=factory, clock=lambda: now)
    served = _serve(WebEnv(app, settings, None, factory))  # type: ignore[arg-type]
    server = next(served)
    try:
        with server.client() as anonymous:
            assert anonymous.get(f"/items/{item_id}/screenshot",
                                 follow_redirects=False).status_code == 303
        with server.client() as owner:
            login(owner, "caizheng")
            image = owner.get(f"/items/{item_id}/screenshot")
            assert image.status_code == 200, image.text
            assert image.status_code == 200 and image.headers["content-type"] == "image/png"
            assert image.content.startswith(b"\x89PNG")
            thumb = owner.get(f"/items/{item_id}/screenshot/thumb")
            assert thumb.headers["content-type"] == "image/jpeg"
            page = owner.get(f"/items/{item_id}").text
            assert f'src="/items/{item_id}/screenshot"' in page and "已用黑框遮盖" in page
            assert "关于名单的公示" in page  # the page's title, not only its URL
        with server.client() as other:
            login(other, "jiaoyu")
            assert other.get(f"/items/{item_id}/screenshot").status_code == 404
            assert other.get(f"/items/{item_id}/screenshot/thumb").status_code == 404
    finally:
        served.close()
        engine.dispose()


def test_the_excel_export_embeds_one_thumbnail_per_row_with_a_screenshot(
        patrolled: Patrolled, tmp_path: Path) -> None:
    settings = patrolled.settings
    engine = make_engine(settings.db.url)
    try:
        with make_sessionmaker(engine)() as session:
            items = all_items(session, ItemFilter(), SYSTEM, AS_OF)
            shots = thumbnails(session, settings, [i.id for i in items])
    finally:
        engine.dispose()
    assert len(items) > len(shots) == 3  # link and footer items have none
    write_xlsx(items, tmp_path / "list.xlsx", shots=shots)
    sheet = load_workbook(tmp_path / "list.xlsx")["整改清单"]
    column = HEADERS.index("截图")
    anchors = sorted((image.anchor._from.row, image.anchor._from.col) for image in sheet._images)
    # 0-based rows: the title row is 0, the header 1, the first item 2
    rows_with_shot = sorted(line for line, item in enumerate(items, start=2) if item.id in shots)
    assert anchors == [(row, column) for row in rows_with_shot]
    assert all(sheet.row_dimensions[r + 1].height for r in rows_with_shot)


def test_the_unit_digest_links_each_screenshot(patrolled: Patrolled, tmp_path: Path) -> None:
    settings = patrolled.settings
    engine = make_engine(settings.db.url)
    try:
        factory = make_sessionmaker(engine)
        with factory() as session:
            privacy = session.scalars(select(Item).where(Item.rule == "privacy-id-number")).one()
        run_digests(factory, settings, AS_OF, datetime(2026, 11, 27, 8, 0), outbox=tmp_path,
                    send=True)
    finally:
        engine.dispose()
    [mail] = [m for m in tmp_path.glob("*.eml") if "财政局" in _text(m)]
    text = _text(mail)
    link = f"{settings.web.base_url}/items/{privacy.id}/screenshot"
    assert f"截图：{link}" in text and f'href="{link}"' in text
    assert "《关于名单的公示》" in text  # the page's title next to its URL


def _text(mail: Path) -> str:
    message = BytesParser(policy=policy.default).parsebytes(mail.read_bytes())
    return "\n".join(str(part.get_content()) for part in message.walk()
                     if part.get_content_type() in ("text/plain", "text/html"))


def test_retention_deletes_old_screenshots_files_and_rows(patrolled: Patrolled) -> None:
    settings = patrolled.settings
    root = screenshot_dir(settings)
    rows = _rows(settings)
    files = [root / r.path for r in rows]
    taken = max(r.taken_at for r in rows)
    assert files and all(f.is_file() for f in files)
    engine = make_engine(settings.db.url)
    try:
        factory = make_sessionmaker(engine)
        with factory.begin() as session:  # within retention_days: kept
            assert apply_retention(session, settings, taken + timedelta(days=1)).screenshots == 0
        assert all(f.is_file() for f in files)
        with factory.begin() as session:
            later = taken + timedelta(days=settings.schedule.retention_days + 1)
            assert apply_retention(session, settings, later).screenshots == 3
    finally:
        engine.dispose()
    assert not any(f.exists() for f in files) and not files[0].parent.exists()
    assert _rows(settings) == []


def test_a_browser_that_cannot_start_never_fails_the_patrol(tmp_path: Path) -> None:
    with LocalSite(_routes()) as site:
        settings = _settings(site, tmp_path)
        settings = settings.with_changes(crawler={**settings.crawler.model_dump(),
                                                  "chromium_path": str(tmp_path / "none"),
                                                  "headless_shell_path": ""})
        result = run_patrol(settings, as_of=AS_OF)
    assert result.status == "complete"
    assert {"privacy-id-number", "wording-outdated"} <= {f.rule for f in result.findings}
    shots = result.stats["screenshots"]
    assert shots["taken"] == 0 and "Chromium could not start" in shots["error"]
    assert _rows(settings) == []


def test_an_item_sent_back_is_photographed_again(tmp_path: Path) -> None:
    with LocalSite(_routes()) as site:
        settings = _settings(site, tmp_path)
        run_patrol(settings, as_of=AS_OF)
        engine = make_engine(settings.db.url)
        try:
            with make_sessionmaker(engine).begin() as session:
                item = session.scalars(select(Item).where(Item.rule == "wording-outdated")).one()
                mark_fixed(session, item.id, SYSTEM, "已修改", datetime(2026, 11, 27, 9, 0))
        finally:
            engine.dispose()
        second = run_patrol(settings, as_of=AS_OF)
    assert second.stats["screenshots"]["taken"] == 1
    rows = _rows(settings)
    assert sorted(r.rule for r in rows) == sorted(
        ["homepage-stale", "privacy-id-number", "wording-outdated", "wording-outdated"])
    assert len({r.path for r in rows}) == 4  # the new one is kept beside the first


def test_per_patrol_caps_the_screenshots_worst_first(tmp_path: Path) -> None:
    with LocalSite(_routes()) as site:
        result = run_patrol(_settings(site, tmp_path, per_patrol=1), as_of=AS_OF)
    stats = dict(result.stats["screenshots"])
    assert stats.pop("seconds") > 0
    assert stats == {"wanted": 3, "taken": 1, "failed": 0, "over_cap": 2}
    assert [r.rule for r in _rows(_settings(site, tmp_path))] == ["homepage-stale"]
