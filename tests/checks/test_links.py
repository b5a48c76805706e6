from __future__ import annotations

from checks.links import link_broken, link_suspect
from checks.model import Severity

from .builders import AS_OF, HOME, SETTINGS, site, target


def test_link_broken_one_finding_per_target_listing_every_source() -> None:
    dead = target("http://www.example.gov.cn/old.html", "broken", "404",
                  f"{HOME}z.html", HOME, f"{HOME}a.html", status=404)
    found = list(link_broken(site(targets=(dead,)), SETTINGS, AS_OF))
    assert len(found) == 1
    (finding,) = found
    assert finding.rule == "link-broken" and finding.severity == Severity.DEDUCT
    assert finding.url == HOME  # first source page, sorted
    assert finding.target == "http://www.example.gov.cn/old.html"
    assert [s["page"] for s in finding.evidence["sources"]] == [HOME, f"{HOME}a.html", f"{HOME}z.html"]
    assert finding.evidence["on_homepage"] is True and finding.evidence["status"] == 404
    assert "404" in finding.message and "3 个页面" in finding.message


def test_link_suspect_for_timeouts_not_broken() -> None:
    slow = target("http://other.example/", "suspect", "timeout", f"{HOME}b.html")
    found = list(link_suspect(site(targets=(slow, target("http://ok.example/", "ok", None, HOME))),
                              SETTINGS, AS_OF))
    assert [(f.rule, f.severity) for f in found] == [("link-suspect", Severity.WARN)]
    assert found[0].evidence["on_homepage"] is False
    assert list(link_suspect(site(targets=(target("http://x/", "skipped", "robots", HOME),)), SETTINGS,
                            AS_OF)) == []


def test_link_broken_every_confirmed_failure_class() -> None:
    targets = [target(f"http://t/{kind}", "broken", kind, HOME) for kind in
               ("404", "410", "soft404", "dns", "refused", "403")]
    assert [f.target for f in link_broken(site(targets=tuple(targets)), SETTINGS, AS_OF)] == [t.url for t in targets]
