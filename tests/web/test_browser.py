"""The web list in a real Chromium: log in, filter, act on an item, export to Excel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, sync_playwright

from tests.web.conftest import PASSWORD, Served

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(base_url=served.base_url, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
    assert dialogs == [], "a crawled payload ran as script"


def _login(page: Page, username: str) -> None:
    page.goto("/items")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/items")


def _listed_ids(page: Page) -> list[int]:
    return [int(v) for v in page.locator("tr.item").evaluate_all("rows => rows.map(r => r.dataset.id)")]


def test_browser_filter_and_mark_fixed_shows_in_history(page: Page, served: Served) -> None:
    ids = served.env.ids
    _login(page, "office")
    assert set(_listed_ids(page)) == {ids.typo, ids.link, ids.privacy, ids.xss, ids.closed}
    assert page.locator(f"tr.item[data-id='{ids.typo}'] .badge.overdue").count() == 1

    page.select_option("select[name=unit]", "教育局")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**unit=*")
    assert set(_listed_ids(page)) == {ids.link, ids.closed}

    page.goto("/items?overdue=1")
    assert _listed_ids(page) == [ids.typo]
    page.click(f"tr.item[data-id='{ids.typo}'] td.message a")
    page.wait_for_url(f"**/items/{ids.typo}")
    assert page.locator("p.context mark").inner_text() == "按装"

    page.fill("#fix-form textarea[name=note]", "已将「按装」改为「安装」并复查全站")
    page.click("#fix-form button[type=submit]")
    page.wait_for_url(f"**/items/{ids.typo}?done=fix")
    assert "已报告整改" in page.locator(".notice").inner_text()
    assert page.locator(".state-line").inner_text().startswith("已整改待复核")
    last = page.locator("table.events tbody tr").last
    assert "报告已整改" in last.inner_text()
    assert "已将「按装」改为「安装」并复查全站" in last.inner_text()


def test_browser_export_matches_list(page: Page, served: Served, tmp_path: Path) -> None:
    _login(page, "office")
    page.goto("/items?severity=deduct&sort=id")
    listed = _listed_ids(page)
    urls = page.locator("tr.item td.message .url").all_inner_texts()
    with page.expect_download() as info:
        page.click("#export-xlsx")
    target = tmp_path / "export.xlsx"
    info.value.save_as(target)

    from reports.export import HEADERS

    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1] == HEADERS  # row 1 is the title row
    assert [row[0] for row in rows[2:]] == list(range(1, len(listed) + 1))
    assert [row[HEADERS.index("网址")] for row in rows[2:]] == urls


def test_browser_crawled_payload_stays_inert(page: Page, served: Served) -> None:
    _login(page, "office")
    page.goto(f"/items/{served.env.ids.xss}")
    assert page.locator("img[src=x]").count() == 0
    assert "<script>alert(1)</script>" in page.locator("p.context mark").inner_text()


def test_browser_unit_user_sees_only_its_items(page: Page, served: Served) -> None:
    ids = served.env.ids
    _login(page, "jiaoyu")
    assert set(_listed_ids(page)) == {ids.link, ids.closed}
    response = page.goto(f"/items/{ids.typo}")
    assert response is not None and response.status == 404


def test_browser_dates_stay_on_one_line_at_1366(page: Page, served: Served) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    _login(page, "office")
    # the deadline and first-seen columns: each date's text must be one line box
    lines = page.locator("tr.item td:nth-child(7), tr.item td:nth-child(8)").evaluate_all(
        """cells => cells.map(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return [cell.innerText, tops.size];
        })"""
    )
    assert lines and all(count == 1 for _, count in lines), lines
