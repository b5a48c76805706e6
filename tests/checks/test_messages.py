"""Message wording is user-facing: pinned here so a change is deliberate."""

from __future__ import annotations

from checks.runner import run_checks

from .builders import AS_OF, HOME, SETTINGS, account, column, doc, entry, probes, site, target


def test_messages_of_a_site_read_as_one_chinese_line_each() -> None:
    snapshot = site(
        home_items=(entry(20),), footer_text="京ICP备12345678号",
        columns=(column("工作动态", 40), column("政策解读", blank=True)),
        targets=(target("http://www.example.gov.cn/x", "broken", "404", HOME, f"{HOME}a.html",
                        status=404),),
        probes=probes(96, 10),
        documents=(doc("截止2023年底，全区按装13812345678号热线", published=AS_OF),),
    )
    messages = {f.rule: f.message for f in run_checks(snapshot, SETTINGS, AS_OF)}
    assert messages == {
        "site-unreachable": "近 7 天首页探测 96 次，失败 10 次（10.4%），达到 5% 标准",
        "homepage-stale": "首页最新信息日期为 2024-02-29，已 20 天未更新（阈值 14 天）",
        "column-stale": "栏目“工作动态”（动态要闻类）最新条目日期 2024-02-09，已 40 天未更新，超过 14 天",
        "column-blank": "栏目“政策解读”为空白栏目，页面显示“暂无信息”",
        "link-broken": "链接“办事指南”不可用：页面不存在（404），共 2 个页面引用",
        "site-identity": "首页页脚缺少：网站标识码、公安机关备案号、党政机关网站标识",
        "wording-typo": "错别字：“按装”，建议改为“安装”",
        "wording-suspect": "疑似用词不当：“截止”，建议改为“截至”",
        "privacy-phone": "页面公开了手机号码 138****5678",
        "annual-report-missing": "截至 2024-03-20 网站上未找到 2023 年政府信息公开工作年度报告"
                                 "（部门应于 2024-01-31 前发布）",
    }


def test_messages_of_an_account() -> None:
    messages = [f.message for f in run_checks(account(120), SETTINGS, AS_OF)]
    assert messages == [
        "账号“示例发布”最新文章发布于 2023-11-21，已 120 天未更新（阈值 14 天）",
        "账号“示例发布”已 120 天未发布内容，疑似僵尸账号，应恢复运营或关停",
    ]
