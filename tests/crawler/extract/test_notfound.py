"""Soft 404: error wording, and similarity with the site's own not-found page."""

from __future__ import annotations

import pytest

from crawler.extract import NotFoundProfile, analyse


@pytest.mark.parametrize(
    "html",
    [
        "<title>404 Not Found</title><h1>Not Found</h1>",
        "<title>页面不存在</title><p>返回首页</p>",
        "<title>某某县人民政府</title><div>抱歉，您访问的页面不存在或已被删除！</div>",
        "<title>提示信息</title><h1>信息已删除</h1>",
        "<title>某某县人民政府 - 页面不存在</title><div>返回首页</div>",
        "<title>Error 404 - Page Not Found</title>",
    ],
)
def test_error_like_wording(html: str) -> None:
    assert analyse(html.encode(), "http://x.gov.cn/a").error_like


@pytest.mark.parametrize(
    "html",
    [
        "<title>关于公布已撤销社会组织名单的公告</title><p>" + "根据有关规定，撤销以下社会组织登记。" * 5 + "</p>",
        "<title>第404号公告</title><p>正文</p>",
        "<title>某某县人民政府</title><p>" + "新闻内容" * 500 + "页面不存在</p>",
        "<title>政务动态</title><ul><li><a href=a.html>县长调研</a> 2023-01-01</li></ul>",
        "<title>关于部分链接失效的整改说明</title><h1>关于部分链接失效的整改说明</h1><p>发布日期：2023-11-20</p>"
        "<p>经排查，本网站有3处链接失效，已于当日整改完毕。</p>",
        "<title>网站维护公告</title><p>" + "为提升服务质量，本网站将于周六进行系统维护。" * 8
        + "维护期间部分页面不存在或无法访问，敬请谅解。</p>",
    ],
)
def test_error_like_not_on_real_pages(html: str) -> None:
    assert not analyse(html.encode(), "http://x.gov.cn/a").error_like


def test_notfound_profile_matches_the_sites_own_error_page() -> None:
    probe = analyse("<title>提示</title><div>对不起，您要找的内容走丢了 ERR-20231120 返回首页 联系我们</div>".encode(),
                    "http://x.gov.cn/abc-xunwang-404-probe")
    profile = NotFoundProfile.from_page(probe.title, probe.text)
    other = analyse("<title>提示</title><div>对不起，您要找的内容走丢了 ERR-20240101 返回首页 联系我们</div>".encode(),
                    "http://x.gov.cn/missing.html")
    assert profile.matches(other.title, other.text)
    real = analyse("<title>提示</title><div>关于春节假期安排的提示：请各单位做好值班工作。</div>".encode(),
                   "http://x.gov.cn/notice.html")
    assert not profile.matches(real.title, real.text)


def test_notfound_profile_of_an_empty_page_matches_nothing_real() -> None:
    profile = NotFoundProfile.from_page("", "")
    assert not profile.matches("政务动态", "县政府召开常务会议")


def test_notfound_profile_from_a_homepage_answer_matches_nothing() -> None:
    home = "<title>某某县人民政府</title>" + "".join(
        f"<li><a href='/a{i}.html'>县政府召开第{i}次常务会议研究部署重点工作</a> 2023-12-01</li>" for i in range(80))
    probe = analyse(home.encode(), "http://x.gov.cn/")
    profile = NotFoundProfile.from_page(probe.title, probe.text)
    assert not profile.usable
    assert not profile.matches(probe.title, probe.text)


def test_notfound_profile_long_error_page_stays_usable() -> None:
    page = "<title>提示</title><p>您访问的页面不存在</p><p>" + "可能的原因：链接错误。" * 300 + "</p>"
    probe = analyse(page.encode(), "http://x.gov.cn/nope")
    assert NotFoundProfile.from_page(probe.title, probe.text).matches(probe.title, probe.text)
