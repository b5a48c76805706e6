"""crawler.camera in a real Chromium against a page on 127.0.0.1: the hit scrolled into view
and outlined, every personal number under an opaque box, a broken page not fatal."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from crawler.camera import Camera, CameraOptions, ShotRequest, number_spans
from tests.crawler.localsite import LocalSite, html

ID = "110105199001011232"  # valid check digit
MASKED_ID = "110105********1232"
GREEN = (0, 200, 0)  # the numbers' text colour: no other pixel on the page is green
FILLER = "".join(f"<p>第{i}段：本区持续推进政务公开工作，落实各项制度。</p>" for i in range(60))
PAGE = html(
    f"<h1>关于某某补贴发放名单的公示</h1>{FILLER}"
    f"<p style='font-size:28px'>联系单位：国务院法制办公室（已更名）</p>"
    f"<p style='font-size:32px'>申请人 张三 身份证号 <span style='color:rgb(0,200,0)'>{ID}</span>"
    f" 电话<b style='color:rgb(0,200,0)'>13812345678</b></p>"
    f"<p style='font-size:32px'>同一段文字中：电话 13912345678，校验不通过 123456789012345678</p>"
    f"{FILLER}",
    title="补贴名单公示",
)
CSS_OPTIONS = CameraOptions(concurrency=2, timeout_s=20, width=1000, height=700)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("shots")
    listing = html("<ul><li><a href='/x.html'>最新一条工作动态</a> <span>2026-09-01</span></li>"
                   "<li><a href='/y.html'>上一条</a> <span>2026-08-01</span></li></ul>")
    routes = {"/a.html": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
              "/list.html": (200, {"Content-Type": "text/html; charset=utf-8"}, listing)}
    with LocalSite(routes) as site:
        requests = [
            ShotRequest("term", f"{site.url}a.html", marks=("国务院法制办公室",), before="联系单位："),
            ShotRequest("number", f"{site.url}a.html", number=MASKED_ID),
            ShotRequest("missing", f"{site.url}gone.html", marks=("x",)),
            ShotRequest("title", f"{site.url}list.html", marks=("最新一条工作动态",)),
            ShotRequest("row", f"{site.url}list.html", marks=("最新一条工作动态",), row=True),
        ]
        results = Camera(CSS_OPTIONS).shoot(requests, folder, budget_s=120)
    return {r.key: r for r in results}


def _pixels(path: Path) -> Image.Image:
    return Image.open(path).convert("RGB")


def _greenish(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return g > 120 and r < 90 and b < 90


def test_camera_outlines_the_term_scrolled_into_view(shots: dict[str, object]) -> None:
    result = shots["term"]
    assert result.image is not None and result.image.is_file() and result.outlined
    image = _pixels(result.image)
    assert image.size == (1000, 700)
    x, y, w, h = (round(v) for v in result.marks["outline"])
    assert x >= 0 and y >= 0 and x + w <= 1000 and y + h <= 700  # in view after scrolling
    # The outline is a red border: its top edge is red, its inside is the page.
    edge = [image.getpixel((x + dx, y + 1)) for dx in range(2, w - 2, 7)]
    assert all(p[0] > 180 and p[1] < 60 and p[2] < 80 for p in edge)
    assert result.thumb is not None and result.thumb.is_file()
    assert max(Image.open(result.thumb).size) <= 360


def test_camera_boxes_every_number_so_none_shows_in_the_image(shots: dict[str, object]) -> None:
    for key in ("term", "number"):
        result = shots[key]
        # the ID, two phones, the run of digits that is no valid number
        assert result.image is not None and result.covered == 4
        image = _pixels(result.image)
        boxes = result.marks["boxes"]
        visible = [b for b in boxes if b[1] >= 0 and b[1] + b[3] <= 700]
        assert len(visible) == 4, "the numbers next to the hit are in view"
        for x, y, w, h in visible:
            region = image.crop((round(x) + 1, round(y) + 1, round(x + w) - 1, round(y + h) - 1))
            colours = region.getcolors(maxcolors=4)
            assert colours is not None and [c for _, c in colours] == [(0, 0, 0)], colours
        # The numbers are the only green text: not one green pixel survives.
        assert not any(_greenish(p) for p in image.getdata())


def test_camera_outlines_the_box_of_the_finding_s_own_number(shots: dict[str, object]) -> None:
    result = shots["number"]
    assert result.outlined
    ox, oy, ow, oh = result.marks["outline"]
    inside = [b for b in result.marks["boxes"]
              if ox <= b[0] and oy <= b[1] and b[0] + b[2] <= ox + ow and b[1] + b[3] <= oy + oh]
    assert len(inside) == 1


def test_a_stale_entry_is_outlined_with_its_whole_row(shots: dict[str, object]) -> None:
    title, row = shots["title"].marks["outline"], shots["row"].marks["outline"]
    assert row[0] <= title[0] and row[2] > title[2] + 60  # the date is inside the row's box
    assert abs(row[1] - title[1]) < 8 and row[3] < 3 * title[3]  # one line, not the list
    assert row[0] + row[2] < 600  # around the text, not the whole width of the list


def test_a_page_that_fails_is_an_error_result_not_an_exception(shots: dict[str, object]) -> None:
    result = shots["missing"]
    assert result.image is None and result.error == "HTTP 404"


def test_number_spans_cover_detected_and_loose_digit_runs() -> None:
    spans = number_spans(["电话 13812345678，序号 123456789012345678", "无号码",
                          "浙公网安备 33010602000001号 邮编 310000 ６２２２０２１２３４５６７８９０１"])
    assert [(s, m) for s, m in spans] == [
        ((0, 3, 14), "138****5678"), ((0, 18, 36), ""), ((2, 32, 49), "")]
