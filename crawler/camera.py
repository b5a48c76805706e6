"""Screenshots of pages with a finding: one Chromium, a few pooled pages, the hit outlined.

Before an image is saved every personal number on the visible page is under an opaque box:
the text nodes are read from the live page, ``checks.identifiers.detect`` (and a looser
"eleven digits or more" net) finds the numbers, and a black box is drawn over each of their
client rectangles; the texts are read again afterwards and, if the page changed meanwhile,
the page is covered anew or, failing that, not saved at all. The hit (a term, an entry
title, a masked number) is scrolled to the middle of the viewport and outlined in red.

A camera never raises for one page: a page that cannot be loaded, marked or saved becomes
a result with an ``error``; only a browser that cannot start raises ``FetchError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from checks.identifiers import detect
from core.errors import FetchError
from crawler.config import CHROMIUM_ARGS

# Runs of digits as long as a personal number are boxed too, valid or not (a wrong check
# digit is still nobody's business in a picture): 11 digits starting with 1 (mobile), 15 to
# 19 (old and new IDs, bank cards). A 14-digit 公网安备 record or a 12-digit code stays.
_RUNS = re.compile(r"[0-9]+[Xx]?")
_WIDE = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_OUTLINE = "#e4002b"
THUMB_SIZE = (360, 254)

_COLLECT = """() => {
  const root = document.body || document.documentElement;
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {acceptNode(n) {
    const p = n.parentElement;
    if (!p || skip.has(p.tagName) || p.closest('[data-xw-mark]')) return NodeFilter.FILTER_REJECT;
    return n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
  }});
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  window.__xwNodes = nodes;
  const fields = [];
  for (const el of document.querySelectorAll('input, textarea')) {
    if (el.value) fields.push(el);
  }
  window.__xwFields = fields;
  return {texts: nodes.map(n => n.nodeValue), fields: fields.map(el => el.value)};
}"""

_DRAW = """({boxes, fields, outline, row, color}) => {
  const nodes = window.__xwNodes || [];
  const range = ([i, s, e]) => {
    const r = document.createRange();
    r.setStart(nodes[i], s); r.setEnd(nodes[i], e);
    return r;
  };
  if (outline) {
    const el = nodes[outline[0]].parentElement;
    el.scrollIntoView({block: 'center', inline: 'nearest'});
  }
  let layer = document.querySelector('[data-xw-mark=layer]');
  if (layer) layer.remove();
  layer = document.createElement('div');
  layer.setAttribute('data-xw-mark', 'layer');
  layer.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;' +
    'z-index:2147483647;pointer-events:none;';
  document.documentElement.appendChild(layer);
  const sx = window.scrollX, sy = window.scrollY;
  const put = (r, css) => {
    const d = document.createElement('div');
    d.setAttribute('data-xw-mark', 'box');
    d.style.cssText = 'position:absolute;box-sizing:border-box;margin:0;' +
      `left:${r.left + sx}px;top:${r.top + sy}px;width:${r.width}px;height:${r.height}px;` + css;
    layer.appendChild(d);
  };
  const grow = (r, p) => ({left: r.left - p, top: r.top - p, width: r.width + 2 * p,
                          height: r.height + 2 * p});
  const shown = [];
  const cover = (r) => {
    if (r.width <= 0 || r.height <= 0) return;
    const g = grow(r, 2);
    put(g, 'background:#000;opacity:1;');
    shown.push([g.left, g.top, g.width, g.height]);
  };
  for (const b of boxes) for (const r of range(b).getClientRects()) cover(r);
  for (const i of fields) cover(window.__xwFields[i].getBoundingClientRect());
  let where = null;
  if (outline) {
    const line = row ? nodes[outline[0]].parentElement.closest('li, tr, dd, dt') : null;
    let hit = range(outline);
    if (line) { hit = document.createRange(); hit.selectNodeContents(line); }
    const r = hit.getBoundingClientRect();  // the text's boxes, not the block's full width
    if (r.width > 0 && r.height > 0) {
      const g = grow(r, 6);
      put(g, `border:3px solid ${color};background:transparent;`);
      where = [g.left, g.top, g.width, g.height];
    }
  }
  return {outline: where, boxes: shown,
          viewport: [window.innerWidth, window.innerHeight]};
}"""


@dataclass(frozen=True)
class ShotRequest:
    """One finding's page to photograph and what to outline on it."""

    key: str  # the finding's fingerprint
    url: str
    marks: tuple[str, ...] = ()  # texts to outline, the first found wins
    before: str = ""  # text right before the mark, to pick the right occurrence
    number: str | None = None  # a masked number (privacy): outline the box of this one
    row: bool = False  # outline the list row (li, tr) the mark is in: a title with its date


@dataclass(frozen=True)
class ShotResult:
    key: str
    url: str
    image: Path | None = None
    thumb: Path | None = None
    outlined: bool = False
    covered: int = 0
    marks: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class CameraOptions:
    chromium_path: str = "/usr/bin/chromium"
    cdp_url: str = ""
    user_agent: str = ""
    concurrency: int = 2
    timeout_s: float = 20.0
    width: int = 1280
    height: int = 900


Span = tuple[int, int, int]  # text node index, start, end


def number_spans(texts: Sequence[str]) -> list[tuple[Span, str]]:
    """Every personal number in the page's text nodes, with its masked form ("" if loose)."""
    spans: dict[Span, str] = {}
    for index, text in enumerate(texts):
        for found in detect(text, date.max):
            spans[(index, found.start, found.end)] = found.masked
        for match in _RUNS.finditer(text.translate(_WIDE)):
            if not _personal_length(match.group()):
                continue
            span = (index, match.start(), match.end())
            if not any(s[0] == index and s[1] <= span[1] and span[2] <= s[2] for s in spans):
                spans[span] = ""
    return sorted(spans.items())


def _personal_length(run: str) -> bool:
    digits = len(run.rstrip("Xx"))
    if digits != len(run):
        return len(run) in (15, 18)  # only an ID ends in X
    return (digits == 11 and run.startswith("1")) or 15 <= digits <= 19


def field_hits(values: Sequence[str]) -> list[int]:
    """Form fields whose value holds a number (their whole box is covered)."""
    return [i for i, value in enumerate(values) if number_spans([value])]


def _find_text(texts: Sequence[str], mark: str, before: str) -> Span | None:
    mark = " ".join(mark.split())
    if not mark:
        return None
    first: Span | None = None
    tail = " ".join(before.split())[-8:]
    for index, text in enumerate(texts):
        flat = text.replace("\n", " ")
        start = flat.find(mark)
        while start >= 0:
            span = (index, start, start + len(mark))
            if not tail or flat[:start].rstrip().endswith(tail.strip()):
                return span
            first = first or span
            start = flat.find(mark, start + 1)
    return first


def target_span(request: ShotRequest, texts: Sequence[str],
                numbers: Sequence[tuple[Span, str]]) -> Span | None:
    """Where the hit is: the box of the finding's number, else the first mark found."""
    if request.number:
        for span, masked in numbers:
            if masked and masked == request.number:
                return span
    for mark in request.marks:
        found = _find_text(texts, mark, request.before)
        if found is not None:
            return found
    return None


def _thumbnail(image: Path) -> Path:
    from PIL import Image  # only needed once a screenshot exists

    thumb = image.with_suffix(".thumb.jpg")
    with Image.open(image) as picture:
        small = picture.convert("RGB")
        small.thumbnail(THUMB_SIZE)
        small.save(thumb, "JPEG", quality=75)
    return thumb


class Camera:
    """Takes the screenshots of one patrol in one browser; see the module docstring."""

    def __init__(self, options: CameraOptions) -> None:
        self.options = options

    def shoot(self, requests: Sequence[ShotRequest], folder: Path,
              budget_s: float | None = None) -> list[ShotResult]:
        """Photograph ``requests`` into ``folder`` (``<key>.png`` and a thumbnail).

        Runs its own event loop in a thread, so it may be called from any code, async or
        not; ``budget_s`` bounds the whole batch (pages not done by then are errors).
        """
        if not requests:
            return []
        out: list[list[ShotResult]] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                out.append(asyncio.run(self._shoot_all(list(requests), folder, budget_s)))
            except BaseException as error:  # re-raised in the caller's thread
                failure.append(error)

        worker = threading.Thread(target=run, name="xunwang-camera", daemon=True)
        worker.start()
        worker.join()
        if failure:
            raise failure[0]
        return out[0]

    async def _shoot_all(self, requests: list[ShotRequest], folder: Path,
                         budget_s: float | None) -> list[ShotResult]:
        from playwright.async_api import async_playwright

        opts = self.options
        async with async_playwright() as playwright:
            try:
                if opts.cdp_url:
                    browser = await playwright.chromium.connect_over_cdp(opts.cdp_url)
                else:
                    browser = await playwright.chromium.launch(
                        executable_path=opts.chromium_path, headless=True, args=CHROMIUM_ARGS)
            except Exception as error:
                raise FetchError(f"screenshots: Chromium could not start: {error}") from None
            try:
                folder.mkdir(parents=True, exist_ok=True)
                context = await browser.new_context(
                    viewport={"width": opts.width, "height": opts.height},
                    user_agent=opts.user_agent or None, device_scale_factor=1,
                    java_script_enabled=True, ignore_https_errors=True,
                    service_workers="block", accept_downloads=False)
                pool: asyncio.Queue[Any] = asyncio.Queue()
                for _ in range(min(opts.concurrency, len(requests))):
                    pool.put_nowait(await context.new_page())
                tasks = [asyncio.create_task(self._one(context, pool, r, folder))
                         for r in requests]
                done, pending = await asyncio.wait(tasks, timeout=budget_s)
                for task in pending:
                    task.cancel()
                results = []
                for request, task in zip(requests, tasks, strict=True):
                    if task in done and not task.cancelled() and task.exception() is None:
                        results.append(task.result())
                    else:
                        results.append(ShotResult(request.key, request.url,
                                                  error="time budget of the patrol spent"))
                return results
            finally:
                await browser.close()

    async def _one(self, context: Any, pool: asyncio.Queue[Any], request: ShotRequest,
                   folder: Path) -> ShotResult:
        page = await pool.get()
        try:
            return await asyncio.wait_for(self._capture(page, request, folder),
                                          self.options.timeout_s)
        except Exception as error:
            # A page stuck in a dialog or a crashed renderer is replaced, not reused.
            await _close_quietly(page)
            page = await context.new_page()
            message = "timeout" if isinstance(error, TimeoutError) else str(error)
            return ShotResult(request.key, request.url, error=message.splitlines()[0][:300])
        finally:
            pool.put_nowait(page)

    async def _capture(self, page: Any, request: ShotRequest, folder: Path) -> ShotResult:
        timeout_ms = self.options.timeout_s * 1000
        response = await page.goto(request.url, wait_until="domcontentloaded", timeout=timeout_ms)
        if response is not None and response.status >= 400:
            return ShotResult(request.key, request.url, error=f"HTTP {response.status}")
        # A page that keeps polling is photographed as it is.
        with contextlib.suppress(Exception):
            await page.wait_for_load_state("networkidle", timeout=min(5000, timeout_ms / 2))
        drawn: dict[str, Any] = {}
        before_texts: list[str] | None = None
        before_fields: list[str] | None = None
        numbers: list[tuple[Span, str]] = []
        span: Span | None = None
        for _attempt in range(3):
            seen = await page.evaluate(_COLLECT)
            texts, fields = seen["texts"], seen["fields"]
            if drawn and texts == before_texts and fields == before_fields:
                break  # nothing changed while we drew: every number is covered
            numbers = number_spans(texts)
            span = target_span(request, texts, numbers)
            drawn = await page.evaluate(_DRAW, {
                "boxes": [list(s) for s, _ in numbers], "fields": field_hits(fields),
                "outline": list(span) if span else None, "row": request.row,
                "color": _OUTLINE})
            before_texts, before_fields = texts, fields
        else:
            return ShotResult(request.key, request.url,
                              error="the page kept changing; not saved (numbers may show)")
        image = folder / f"{request.key}.png"
        await page.screenshot(path=str(image), animations="disabled", caret="hide")
        marks = {"outline": drawn.get("outline"), "boxes": drawn.get("boxes", []),
                 "viewport": drawn.get("viewport")}
        return ShotResult(request.key, request.url, image=image, thumb=_thumbnail(image),
                          outlined=marks["outline"] is not None, covered=len(numbers),
                          marks=marks)


async def _close_quietly(page: Any) -> None:
    with contextlib.suppress(Exception):
        await page.close()
