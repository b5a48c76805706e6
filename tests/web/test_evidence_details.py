"""The new evidence reads as office Chinese: newest entries as seen, template links, titles."""

from __future__ import annotations

from web.evidence_labels import HIDDEN, fact


def test_latest_entries_read_as_dates_and_titles() -> None:
    value = [{"title": "最新一条", "date": "2026-10-01", "url": "http://127.0.0.1/a.html"},
             {"title": "次新", "date": "2026-09-20", "url": "http://127.0.0.1/b.html"}]
    assert fact("column-stale", "latest_entries", value) == (
        "最新条目（巡查所见）", "2026-10-01 最新一条；2026-09-20 次新")
    assert fact("column-stale", "latest_entries", []) is None


def test_template_links_and_page_titles_are_labelled() -> None:
    assert fact("link-broken", "in_template", True) == ("位于网站模板（页头/页脚）", "是")
    assert "page_title" in HIDDEN  # shown as its own row under the URL, not twice


def test_the_export_evidence_cell_reads_the_new_keys_in_chinese() -> None:
    from reports.evidence_text import evidence_text

    text = evidence_text({"page_title": "通知", "in_template": True, "latest_entries": [
        {"title": "最新一条", "date": "2026-10-01", "url": "http://127.0.0.1/a.html"}]})
    assert text == "位于网站模板（页头/页脚）：是；最新条目（巡查所见）：2026-10-01 最新一条"
