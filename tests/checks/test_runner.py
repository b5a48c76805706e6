from __future__ import annotations

from pathlib import Path

import pytest

from checks.allow import Allowlist
from checks.runner import load_lexicon, run_checks
from core.errors import CheckError
from core.settings import Settings, load_settings

from .builders import AS_OF, HOME, SETTINGS, account, column, doc, entry, probes, site, target

PHONE = "13812345678"


def _busy_site():  # noqa: ANN202
    return site(
        home_items=(entry(20),), footer_text="京ICP备12345678号",
        columns=(column("工作动态", 40), column("政策解读", blank=True)),
        targets=(target("http://www.example.gov.cn/x", "broken", "404", HOME, status=404),),
        probes=probes(96, 10),
        documents=(doc(f"国土资源部 按装 联系 {PHONE}"),),
    )


def test_check_site_runs_every_family_in_catalogue_order() -> None:
    findings = run_checks(_busy_site(), SETTINGS, AS_OF)
    assert [f.rule for f in findings] == [
        "site-unreachable", "homepage-stale", "column-stale", "column-blank", "link-broken",
        "site-identity", "wording-outdated", "wording-typo", "privacy-phone", "annual-report-missing",
    ]
    assert {f.site for f in findings} == {"示例区政府"} and all(f.account is None for f in findings)
    assert all(f.to_json()["site"] == "示例区政府" for f in findings)


def test_check_site_honours_the_allowlist() -> None:
    allow = Allowlist(everywhere=frozenset({("wording-typo", "按装")}),
                      per_place=frozenset({("示例区政府", "*", "国土资源部")}))
    rules = [f.rule for f in run_checks(_busy_site(), SETTINGS, AS_OF, allow=allow)]
    assert "wording-typo" not in rules and "wording-outdated" not in rules
    assert "privacy-phone" in rules


def test_check_account_sets_account_and_post_urls() -> None:
    snapshot = account(20, texts=(f"按装 {PHONE}",))
    findings = run_checks(snapshot, SETTINGS, AS_OF)
    assert [f.rule for f in findings] == ["wording-typo", "privacy-phone", "account-stale"]
    assert {f.account for f in findings} == {"示例发布"} and all(f.site is None for f in findings)
    post_findings = [f for f in findings if f.rule != "account-stale"]
    assert {f.url for f in post_findings} == {"http://mirror.example/p/0"}


def test_check_account_unreachable_mirror_still_scans_nothing_stale() -> None:
    assert run_checks(account(200, status="unreachable"), SETTINGS, AS_OF) == []


def test_load_lexicon_reads_user_files_relative_to_config(tmp_path: Path) -> None:
    (tmp_path / "local.tsv").write_text("某某办\t某某中心\ttypo\n坏行\n", encoding="utf-8")
    config = tmp_path / "xunwang.toml"
    config.write_text('[checks]\nlexicons = ["local.tsv"]\nallow_terms = ["按装"]\n', encoding="utf-8")
    settings = load_settings(config, environ={})
    lexicon = load_lexicon(settings)
    assert "某某办" in lexicon.terms and "按装" not in lexicon.terms
    assert lexicon.problems == [f"{tmp_path / 'local.tsv'}:2: expected at least 3 tab-separated columns, got 1"]
    findings = run_checks(site(documents=(doc("按装某某办"),)), settings, AS_OF, lexicon=lexicon)
    assert [f.text for f in findings if f.rule.startswith("wording")] == ["某某办"]


def test_load_lexicon_missing_file_is_check_error() -> None:
    settings = Settings(checks={"lexicons": ("/nonexistent/x.tsv",)})  # type: ignore[arg-type]
    with pytest.raises(CheckError, match="/nonexistent/x.tsv: lexicon file not found"):
        load_lexicon(settings)


def test_check_site_messages_are_one_line_even_with_multiline_page_text() -> None:
    from checks.model import Letter, LinkSource, LinkTarget

    from .builders import ago

    broken = LinkTarget(url="http://x/", failure="404", status=404, in_scope=True,
                        sources=(LinkSource(page=HOME, tag="a", anchor="办事\n指南\t"),))
    letter = Letter(url=f"{HOME}l.html", title="关于\n道路\r\n维修", asked=ago(200), replied=None)
    snapshot = _busy_site()
    snapshot = site(**{**snapshot.__dict__, "targets": (broken,), "letters": (letter,),
                       "columns": (column("工作\n动态", 40),)})
    findings = run_checks(snapshot, SETTINGS, AS_OF)
    assert {"link-broken", "interaction-overdue", "column-stale"} <= {f.rule for f in findings}
    for finding in findings:
        assert "\n" not in finding.message and "\r" not in finding.message, finding.rule
