"""Agreement with real material in ../shared/benchmarks (figures printed by bench/extract_eval.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.extract_eval import date_accuracy, linkchecker_agreement
from crawler.extract import analyse


def test_linkchecker_fixture_links_agree(shared_dir: Path) -> None:
    agreement = linkchecker_agreement(shared_dir)
    assert agreement.expected >= 40
    assert agreement.recall >= 0.95, agreement.misses
    assert agreement.named >= 20  # includes the cp1250 / iso-8859-2 / utf-8 charset pages
    assert agreement.names_matched / agreement.named >= 0.9, agreement.misses


def test_publish_dates_on_gov_pages_and_htmldate_zh(shared_dir: Path) -> None:
    correct, total, misses = date_accuracy(shared_dir)
    assert total >= 18
    assert correct / total >= 0.90, misses


@pytest.mark.parametrize(
    "name",
    ["simonxinw-job/wanzai.gov.cn_tjgb_2015.html", "simonxinw-job/yichun.gov.cn_tjgb_2022_city.html"],
)
def test_gov_pages_visible_date_disagrees_with_meta(shared_dir: Path, name: str) -> None:
    body = (shared_dir / "benchmarks" / "gov-pages" / name).read_bytes()
    dates = analyse(body, "http://gov.example/a.shtml", as_of=date(2026, 1, 1)).dates
    assert dates.source == "visible" and dates.disagreement
    assert dates.candidates["meta"] != dates.candidates["visible"]


@pytest.mark.parametrize(
    ("name", "rows"),
    [("dfa66_announcement.html", 10), ("hrfund_announcement.html", 10),
     ("hsqhfunds_announcement.html", 20), ("rtfund_xxpl.html", 15)],
)
def test_gerapy_list_pages_are_columns(shared_dir: Path, name: str, rows: int) -> None:
    body = (shared_dir / "benchmarks" / "gov-pages" / "gerapy-lists" / name).read_bytes()
    column = analyse(body, "http://fund.example/xxpl/index.html", as_of=date(2026, 1, 1)).column
    assert column is not None and not column.blank
    assert len(column.entries) >= rows * 0.9
    assert all(entry.published is not None for entry in column.entries)


def test_gov_articles_are_not_columns(shared_dir: Path) -> None:
    folder = shared_dir / "benchmarks" / "gov-pages"
    articles = sorted((folder / "gne").glob("*.html")) + sorted((folder / "simonxinw-job").glob("*.html"))
    articles += sorted((folder / "nfra").glob("*.html"))
    columns = [p.name for p in articles if analyse(p.read_bytes(), "http://gov.example/a.html").column]
    assert columns == []


def test_gov_footers_carry_identity(shared_dir: Path) -> None:
    body = (shared_dir / "benchmarks" / "gov-pages" / "simonxinw-job" / "wanzai.gov.cn_tjsj_2022.html").read_bytes()
    footer = analyse(body, "http://www.wanzai.gov.cn/a.shtml").footer
    assert "网站标识码" in footer and "ICP" in footer
