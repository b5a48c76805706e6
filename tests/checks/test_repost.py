"""Reposts: on time with a 转载 prefix and other punctuation, late, missing, not yet due."""

from __future__ import annotations

from datetime import date

from checks.model import Column, Entry
from checks.repost import normalise_title
from checks.runner import run_checks

from .builders import HOME, SETTINGS, site

AS_OF = date(2024, 3, 20)
SOURCE = Entry("国务院关于印发《2024年政务公开工作要点》的通知", "http://www.gov.example/zc/1.html",
               date(2024, 3, 10))


def _findings(*mine: Entry, source: Entry = SOURCE) -> list[dict[str, object]]:
    snapshot = site(columns=(Column(f"{HOME}zyxx/", "转载", False, mine),),
                    repost_sources=(Column("http://www.gov.example/zc/", "国务院政策", False,
                                           (source,), role="repost"),))
    return [dict(f.evidence) for f in run_checks(snapshot, SETTINGS, AS_OF) if f.rule == "repost-late"]


def test_titles_compare_without_repost_prefixes_and_punctuation() -> None:
    a = normalise_title("【转载】国务院关于印发“2024年政务公开工作要点”的通知")
    assert a == normalise_title("转发：国务院关于印发《2024年政务公开工作要点》的通知")
    assert a == normalise_title("国务院关于印发 《2024年政务公开工作要点》 的通知")


def test_repost_on_time_with_prefix_and_other_punctuation() -> None:
    mine = Entry("【转载】国务院关于印发“2024年政务公开工作要点”的通知", f"{HOME}zyxx/1.html",
                 date(2024, 3, 11))
    assert _findings(mine) == []


def test_repost_late_measures_the_delay() -> None:
    mine = Entry("转载：国务院关于印发《2024年政务公开工作要点》的通知", f"{HOME}zyxx/1.html",
                 date(2024, 3, 13))
    found = _findings(mine)
    assert len(found) == 1 and found[0]["days"] == 3 and found[0]["reposted"] == "2024-03-13"


def test_repost_missing_and_not_yet_due_and_out_of_window() -> None:
    found = _findings()
    assert len(found) == 1 and found[0]["days"] is None
    fresh = Entry(SOURCE.title, SOURCE.url, AS_OF)
    assert _findings(source=fresh) == []  # published today: not due
    old = Entry(SOURCE.title, SOURCE.url, date(2024, 2, 1))
    assert _findings(source=old) == []  # older than the 30 days checked


def test_repost_by_link_counts_with_its_date() -> None:
    mine = Entry("政务公开工作要点", SOURCE.url, date(2024, 3, 10))  # the entry links to the source
    assert _findings(mine) == []
