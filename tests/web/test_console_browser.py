"""The console in a real Chromium: start page, a site page, an item page, the pre-publication
form and the item list on a 390 px phone; no page scrolls sideways, no UI string is English."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime

import docx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from store.models import ColumnPage, ProbeResult, Run
from store.models import Page as PageRow
from tests.web.conftest import NOW, PASSWORD, Served

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
# Words that are names or formats, not untranslated UI: the product, file types, protocols.
ALLOWED = {"xunwang", "excel", "xlsx", "csv", "pdf", "docx", "word", "html", "http", "https",
           "api", "id", "url", "check", "text", "xunwang check-text", "ok"}
# Text that is data (crawled or typed in), not UI: URLs, quoted page text, the draft.
DATA = (".url, .quote, .message, .context, pre.draft, code, textarea, mark, td.url, .muted, "
        "header .who > span, [data-user] > td:first-child")

_TEXTS = """(data) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(data)) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (node.textContent.trim()) out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], input[type=submit], button')) {
    if (el.closest(data)) continue;
    for (const name of ['placeholder', 'aria-label', 'title']) {
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
    }
  }
  out.push(document.title);
  return out;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                              args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(base_url=served.base_url, viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error"
            and "Failed to load resource" not in m.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400
            and not r.url.endswith("/favicon.ico") else None)
    yield page
    context.close()
    assert errors == [], errors  # e.g. a CSP violation by an inline style, a missing file


def english(texts: list[str]) -> list[str]:
    """Runs of Latin letters that are not an allowed name, format or protocol."""
    found = []
    for text in texts:
        for word in re.findall(r"[A-Za-z][A-Za-z-]+", text):
            if word.lower() not in ALLOWED:
                found.append(f"{word!r} in {text[:60]!r}")
    return found


def assert_fits(page: Page, where: str) -> None:
    """No horizontal scroll at the current width, and no English UI string."""
    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert overflow[0] <= overflow[1], f"{where}: scrolls sideways ({overflow[0]} > {overflow[1]} px)"
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(el => el.tagName + '.' + el.className).slice(0, 5)""")
    assert wide == [], f"{where}: elements wider than the screen: {wide}"
    untranslated = english(page.evaluate(_TEXTS, DATA))
    assert untranslated == [], f"{where}: {untranslated}"


def _login(page: Page, username: str) -> None:
    page.goto("/")
    assert "/login" in page.url
    assert_fits(page, "login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def _patrolled(served: Served) -> None:
    with served.env.factory() as session, session.begin():
        run = Run(kind="patrol", as_of=NOW.date(), started_at=datetime(2026, 11, 27, 2, 0),
                  finished_at=datetime(2026, 11, 27, 2, 30), status="complete",
                  targets=["示范区政府网"])
        session.add(run)
        session.flush()
        session.add(PageRow(run_id=run.id, site="示范区政府网", url="http://127.0.0.1/",
                            status=200, fetched_at=NOW, is_homepage=True))
        session.add(ColumnPage(run_id=run.id, site="示范区政府网",
                               url="http://127.0.0.1/a-very-long-column-path/" + "x" * 120,
                               name="工作动态" * 6, newest=datetime(2026, 10, 1).date(),
                               entry_count=20))
        session.add(ProbeResult(site="示范区政府网", url="http://127.0.0.1/", at=NOW, ok=True))


def _docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366px", "390px"])
def test_walk_the_console(page: Page, served: Served, viewport: dict[str, int]) -> None:
    _patrolled(served)
    page.set_viewport_size(viewport)
    _login(page, "office")

    # start page: the tiles and the server-drawn charts
    assert page.locator("ul.tiles li").count() >= 6
    assert page.locator("svg.chart").count() >= 3
    assert page.locator("svg.chart polyline").count() == 2  # found and fixed
    assert_fits(page, "start page")
    page.click("text=近 90 天")
    page.wait_for_url("**/?days=90")
    assert_fits(page, "start page, 90 days")

    # sites list, then the site page with its columns
    page.goto("/sites")
    assert_fits(page, "sites")
    page.click("li.card.place h2 a")
    page.wait_for_url("**/sites/*")
    assert page.locator("table.columns").count() == 1
    assert_fits(page, "site page")

    # an item from the list
    page.goto("/items")
    assert_fits(page, "item list")
    page.click(f"tr.item[data-id='{served.env.ids.typo}'] td.message a")
    page.wait_for_url(f"**/items/{served.env.ids.typo}")
    assert page.locator("p.context mark").inner_text() == "按装"
    assert_fits(page, "item page")

    # the runs page and a run
    page.goto("/runs")
    assert_fits(page, "runs")
    page.click("table.runs a")
    page.wait_for_url(re.compile(r".*/runs/\d+$"))
    assert_fits(page, "run page")

    # the pre-publication form: paste, then upload a .docx
    page.goto("/check")
    assert_fits(page, "check form")
    page.fill("textarea[name=text]", "关于做好冬季安全工作的通知\n请各单位尽快按装设备，联系电话13812345678。")
    page.click("form.check button[type=submit]")
    page.wait_for_selector("pre.draft")
    marks = page.locator("pre.draft mark").all_inner_texts()
    assert marks == ["按装", "138****5678"]
    assert "第 2 行第 7 列" in page.locator("ol.findings").inner_text()
    assert_fits(page, "check result")
    page.set_input_files("input[type=file]", files=[{
        "name": "通知.docx", "buffer": _docx("标题", "近日台湾总统表示"),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    page.fill("textarea[name=text]", "")
    page.click("form.check button[type=submit]")
    page.wait_for_selector("pre.draft mark.sev-veto")
    assert "检查结果：通知.docx" in page.locator("section.check-result h2").inner_text()

    # user management and the own-password form
    for path in ("/users", "/password", "/accounts"):
        page.goto(path)
        assert_fits(page, path)


def test_mobile_item_list_is_cards(page: Page, served: Served) -> None:
    page.set_viewport_size(PHONE)
    _login(page, "office")
    page.goto("/items")
    assert page.locator("table.items thead").evaluate("el => getComputedStyle(el).display") == "none"
    rows = page.locator("tr.item")
    assert rows.count() == 5
    shapes = rows.evaluate_all("""rows => rows.map(r => {
        const box = r.getBoundingClientRect();
        return [getComputedStyle(r).display, Math.round(box.width)];
    })""")
    assert all(display == "block" and width <= PHONE["width"] for display, width in shapes), shapes
    labels = page.locator(f"tr.item[data-id='{served.env.ids.typo}'] td[data-label]").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert '"整改时限："' in labels or any("整改时限" in label for label in labels), labels
    assert_fits(page, "mobile list")
    page.click(f"tr.item[data-id='{served.env.ids.link}'] td.message a")
    page.wait_for_url(f"**/items/{served.env.ids.link}")
    assert_fits(page, "mobile item page")
    # the actions are usable: the buttons are inside the screen and tall enough to tap
    for box in page.locator("section.actions button").evaluate_all(
            "bs => bs.map(b => { const r = b.getBoundingClientRect(); return [r.right, r.height]; })"):
        assert box[0] <= PHONE["width"] and box[1] >= 20, box


def test_the_check_finds_untranslated_text(page: Page, served: Served) -> None:
    """The English detector itself: it would catch a UI string left in English."""
    assert english(["Open items", "共 3 项", "Excel（.xlsx）", "巡网 Xunwang"]) == [
        "'Open' in 'Open items'", "'items' in 'Open items'"]
