"""Issue 13 item 7: text nested deeper than libxml2's parser limit (256 levels) is still
read, so the wording and privacy rules see it, whatever tags the nesting is made of."""

from __future__ import annotations

import pytest

from checks.lexicon import load
from checks.model import Document
from checks.privacy import scan as privacy_scan
from checks.wording import scan as wording_scan
from crawler.extract.page import analyse
from tests.checks.builders import AS_OF

HIDDEN = "访问北朝鲜，项目已于6月峻工，联系电话13812345678"
NESTINGS = {
    "closed div": "<div>" * 5000 + HIDDEN + "</div>" * 5000,
    "unclosed div": "<div>" * 5000 + HIDDEN,
    "unclosed b": "<b>" * 5000 + HIDDEN,
    "font": "<font>" * 10000 + HIDDEN,
    "tables": "<table><tr><td>" * 1000 + HIDDEN + "</td></tr></table>" * 1000,
    "lists": "<ul><li>" * 3000 + HIDDEN,
    "links in divs": "<div><a href='/y'>" * 2000 + HIDDEN,
    "links": "<a href='/x'>" * 3000 + HIDDEN + "</a>" * 3000,
}


@pytest.mark.parametrize("nesting", list(NESTINGS))
def test_text_nested_past_the_parser_limit_is_scanned_by_the_rules(nesting: str) -> None:
    page = (f"<html><head><meta charset='utf-8'><title>深层页面</title></head><body>"
            f"<p>开头</p>{NESTINGS[nesting]}<p>结尾</p></body></html>").encode()
    analysis = analyse(page, "http://127.0.0.1/deep.html")
    document = Document(url="http://127.0.0.1/deep.html", kind="page", title=analysis.title,
                        text=analysis.text or "")
    wording = {(f.rule, f.text) for f in wording_scan([document], load([]), AS_OF)}
    assert {("wording-sensitive", "北朝鲜"), ("wording-typo", "峻工")} <= wording, nesting
    assert [f.rule for f in privacy_scan([document], AS_OF)] == ["privacy-phone"]
    assert "结尾" in document.text  # and what follows the nesting too
