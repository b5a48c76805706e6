"""URL-pattern traps and the verdicts of refusals, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

from checks.links import verdict
from crawler.traps import TrapGuard, chain_length, pattern

BASE = "http://www.example.gov.cn"


def test_traps_calendar_closes_after_the_allowed_number_of_dates() -> None:
    guard = TrapGuard(variants=10)
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(15)]
    verdicts = [guard.check(f"{BASE}/hd/cal.jsp?date={d}") for d in days]
    assert verdicts[:10] == [None] * 10
    assert all(v is not None and v.kind == "calendar" for v in verdicts[10:])
    # once closed, the pattern stays closed whatever the value
    trap = guard.check(f"{BASE}/hd/cal.jsp?date=2026-11-02")
    assert trap is not None and trap.kind == "calendar"


def test_traps_separate_year_month_day_params_are_a_calendar() -> None:
    guard = TrapGuard(variants=5)
    urls = [f"{BASE}/rl?y=2026&m={m}&d={d}" for m in (1, 2) for d in range(1, 5)]
    assert [guard.check(u) is not None for u in urls] == [False] * 5 + [True] * 3


def test_traps_article_ids_and_dated_articles_are_not_calendars() -> None:
    guard = TrapGuard(variants=5)
    for i in range(50):
        assert guard.check(f"{BASE}/art/view.jsp?id=2023{i:03d}") is None
        assert guard.check(f"{BASE}/art/show?id={i}&date=2026-11-{i % 28 + 1:02d}") is None


def test_traps_growing_query_and_repeating_path() -> None:
    guard = TrapGuard(variants=50)
    assert guard.check(f"{BASE}/s?a=1&a=1") is None
    trap = guard.check(f"{BASE}/s?a=1&a=1&a=1")
    assert trap is not None and trap.kind == "growing-query"
    assert guard.check(f"{BASE}/q?x=" + "y" * 2000) is not None
    repeating = guard.check(f"{BASE}/a/b/a/b/a/b/index.html")
    assert repeating is not None and repeating.kind == "repeating-path"
    assert guard.check(f"{BASE}/2024/01/01/t1.html") is None


def test_traps_self_chain_is_cut_but_not_closed() -> None:
    guard = TrapGuard(variants=3)
    url, chain = f"{BASE}/list?t=1", 0
    cut = None
    for t in range(2, 10):
        nxt = f"{BASE}/list?t={t}"
        chain = chain_length(nxt, url, chain)
        cut = guard.check(nxt, chain)
        if cut is not None:
            break
        url = nxt
    assert cut is not None and cut.kind == "self-chain" and chain == 4
    assert guard.check(f"{BASE}/list?t=99", 0) is None  # reached from elsewhere: still fetched
    assert chain_length(f"{BASE}/list?t=5", f"{BASE}/other?t=4", 7) == 0
    assert pattern(f"{BASE}/list?b=2&a=1") == "www.example.gov.cn/list?a&b"


def test_traps_summary_names_kind_count_and_example() -> None:
    guard = TrapGuard(variants=2)
    for d in range(1, 6):
        guard.check(f"{BASE}/cal?date=2026-11-{d:02d}")
    summary = guard.summary()
    assert summary == {"www.example.gov.cn/cal?date": {
        "kind": "calendar", "refused": 3, "example": f"{BASE}/cal?date=2026-11-03"}}


REFUSALS = ("redirect-loop", "too-many-redirects", "refresh-loop", "bomb", "429", "5xx",
            "robots", "trap", "ignored")


def test_refusal_verdicts_loops_broken_in_site_suspect_elsewhere() -> None:
    for failure in ("redirect-loop", "too-many-redirects", "refresh-loop"):
        assert verdict(failure, True) == "broken"
        assert verdict(failure, False) == "suspect"
    assert verdict("bomb", True) == "suspect"
    assert verdict("429", True) == "suspect"
    assert verdict("robots", True) == "skipped"
    assert all(verdict(failure, scope) != "broken" for failure in ("429", "5xx", "bomb")
               for scope in (True, False))


def test_refusal_failure_classes_have_chinese_labels() -> None:
    from checks.links import FAILURE_LABELS as FINDING_LABELS
    from web.evidence_labels import FAILURE_LABELS as EVIDENCE_LABELS

    for failure in REFUSALS:
        assert failure in EVIDENCE_LABELS, failure
        if {"broken", "suspect"} & {verdict(failure, True), verdict(failure, False)}:
            assert failure in FINDING_LABELS, failure
