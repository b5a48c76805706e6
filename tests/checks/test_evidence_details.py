"""Evidence people can act on: page titles, the newest entries as seen, template links."""

from __future__ import annotations

from checks import freshness, links, privacy, wording
from checks.model import Column, Entry
from tests.checks.builders import AS_OF, HOME, SETTINGS, ago, doc, site, target


def test_wording_and_privacy_findings_carry_the_page_title() -> None:
    snap = site(documents=(doc("本页提到了国务院法制办公室和身份证号 110105199001011232。",
                               title="关于  公示名单的\n通知 110105199001011232"),))
    found = list(wording.check(snap, SETTINGS, AS_OF)) + list(privacy.check(snap, SETTINGS, AS_OF))
    assert {f.rule for f in found} >= {"privacy-id-number", "wording-outdated"}
    for finding in found:
        title = finding.evidence["page_title"]
        assert title.startswith("关于 公示名单的 通知")
        assert "110105199001011232" not in title  # masked like every field


def test_stale_column_evidence_lists_the_newest_dated_entries_newest_first() -> None:
    entries = (Entry("旧闻", f"{HOME}a.html", ago(400)), Entry("最新一条", f"{HOME}b.html", ago(40)),
               Entry("未注明日期", f"{HOME}c.html", None), Entry("次新", f"{HOME}d.html", ago(50)),
               Entry("未来日期", f"{HOME}e.html", ago(-5)), Entry("第三", f"{HOME}f.html", ago(60)))
    snap = site(columns=(Column(url=f"{HOME}gzdt/", name="工作动态", blank=False,
                                entries=entries),))
    [finding] = freshness.column_stale(snap, SETTINGS, AS_OF)
    assert finding.evidence["latest_entries"] == [
        {"title": "最新一条", "date": ago(40).isoformat(), "url": f"{HOME}b.html"},
        {"title": "次新", "date": ago(50).isoformat(), "url": f"{HOME}d.html"},
        {"title": "第三", "date": ago(60).isoformat(), "url": f"{HOME}f.html"},
    ]


def test_homepage_stale_evidence_lists_the_newest_homepage_entries() -> None:
    snap = site(home_items=(Entry("首页要闻", f"{HOME}x.html", ago(20)),))
    [finding] = freshness.homepage_stale(snap, SETTINGS, AS_OF)
    assert finding.evidence["latest_entries"][0]["title"] == "首页要闻"


def _pages(n: int) -> tuple[object, ...]:
    return tuple(doc("正文", url=f"{HOME}p{i}.html") for i in range(n))


def test_a_broken_link_on_every_page_is_reported_once_as_in_the_template() -> None:
    pages = [f"{HOME}p{i}.html" for i in range(10)]
    snap = site(documents=_pages(10),
                targets=(target(f"{HOME}old.html", "broken", "404", *pages, status=404),))
    [finding] = links.link_broken(snap, SETTINGS, AS_OF)
    assert finding.evidence["in_template"] is True
    assert "位于网站模板（页头/页脚），共 10 个页面" in finding.message


def test_a_broken_link_on_a_few_pages_is_not_a_template_link() -> None:
    snap = site(documents=_pages(10),
                targets=(target(f"{HOME}old.html", "broken", "404", f"{HOME}p1.html",
                                f"{HOME}p2.html", status=404),))
    [finding] = links.link_broken(snap, SETTINGS, AS_OF)
    assert finding.evidence["in_template"] is False
    assert "模板" not in finding.message and "共 2 个页面引用" in finding.message
