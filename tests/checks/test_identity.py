from __future__ import annotations

from checks.identity import site_identity
from checks.model import Severity

from .builders import AS_OF, HOME, SETTINGS, site, target


def _run(snapshot):  # noqa: ANN001, ANN202
    return list(site_identity(snapshot, SETTINGS, AS_OF))


def test_site_identity_full_footer_passes() -> None:
    assert _run(site()) == []
    spaced = "网站标识码 3301000001 浙ICP 备05001234号-1 浙公网安备33010602000123号 党政机关网站"
    assert _run(site(footer_text=spaced)) == []


def test_site_identity_lists_every_missing_mark() -> None:
    found = _run(site(footer_text="主办：示例区人民政府 京ICP备12345678号"))
    assert [(f.rule, f.severity) for f in found] == [("site-identity", Severity.DEDUCT)]
    assert found[0].evidence["missing"] == ["网站标识码", "公安机关备案号", "党政机关网站标识"]


def test_site_identity_badge_link_counts_as_the_mark() -> None:
    footer = "网站标识码：1101050001 京ICP证000001号 京公网安备 11010502000001号"
    assert _run(site(footer_text=footer))[0].evidence["missing"] == ["党政机关网站标识"]
    badge = target("https://bszs.conac.cn/sitename?method=show&id=1", "ok", None, HOME)
    assert _run(site(footer_text=footer, targets=(badge,))) == []


def test_site_identity_skipped_when_homepage_not_fetched() -> None:
    assert _run(site(homepage_fetched=False, footer_text="")) == []
