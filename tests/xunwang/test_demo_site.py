"""The demo site group over real HTTP: what it serves, its states, its manifest."""

from __future__ import annotations

import http.client
import io
import json
import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from click.testing import CliRunner

from checks.lexicon import BUILTIN
from core.errors import ConfigError
from core.settings import load_settings
from tests.xunwang.demo import oracle
from xunwang.cli import main
from xunwang.demo import DemoSite, numbers

AS_OF = date(2026, 11, 27)
TIMEOUT = 1.0  # generous: a loaded 2-core CI box must not turn slow pages into timeouts


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoSite]:
    with DemoSite(as_of=AS_OF, articles=150, crawler_timeout=TIMEOUT) as site:
        yield site


@pytest.fixture()
def initial(demo: DemoSite) -> Iterator[DemoSite]:
    demo.set_state("initial")
    yield demo
    demo.set_state("initial")


def get(url: str, timeout: float = 5.0) -> oracle.Fetched:
    return oracle.fetch(url, timeout)


def article_url(site: DemoSite, slug: str, index: int) -> str:
    """The URL of entry ``index`` of a portal column, read from its list page."""
    listing = get(site.base("portal") + f"{slug}/index.html")
    paths = re.findall(r'<li><a href="([^"]+)"', oracle.decode(listing))
    return site.base("portal").rstrip("/") + paths[index]


def test_demo_site_serves_planned_statuses(initial: DemoSite) -> None:
    portal, ext = initial.base("portal"), initial.base("external")
    expected = {
        portal: 200, portal + "robots.txt": 200, portal + "gzdt/index_1.html": 200,
        portal + "jgjj.html": 200, portal + "lxwm.html": 200, portal + "images/dzjg.png": 200,
        portal + "oa/index.html": 403, portal + "jsearch/index.do": 500,
        portal + "zt/2019/index.html": 410, portal + "xwzx/zt2019.html": 200,
        portal + "no/such/page.html": 404, portal + "images/wza.png": 404,
        portal + "gzdt/index_99.html": 404, initial.base("dept"): 200,
        ext: 200, ext + "bot-blocked/": 403, ext + "rate-limited/": 429, ext + "maintenance/": 503,
        ext + "slow/": 200,
    }
    assert {url: get(url).status for url in expected} == expected
    soft = oracle.decode(get(portal + "xwzx/zt2019.html"))
    assert "页面不存在" in soft
    assert "页面不存在" in oracle.decode(get(portal + "no/such/page.html"))
    mentions = get(article_url(initial, "gzdt", 6))
    assert mentions.status == 200 and "404件" in oracle.decode(mentions)
    assert get(initial.base("closed")).status == "refused"
    assert get(ext + "timeout/", timeout=TIMEOUT).status == "timeout"


def test_demo_site_paginates_with_next_links(initial: DemoSite) -> None:
    first = oracle.decode(get(initial.base("portal") + "ywdt/index.html"))
    assert "下一页" in first and 'href="/ywdt/index_1.html"' in first
    dates = re.findall(r'<span class="date">(\d{4}-\d{2}-\d{2})</span>', first)
    assert len(dates) == 20 and dates == sorted(dates, reverse=True)


def test_demo_site_serves_gbk_with_and_without_header_charset(initial: DemoSite) -> None:
    listing = get(initial.base("portal") + "tjxx/index.html")
    assert listing.content_type == "text/html; charset=gbk"
    assert "统计信息" in listing.body.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        listing.body.decode("utf-8")
    article = get(article_url(initial, "tjxx", 0))
    assert article.content_type == "text/html"
    assert b'<meta charset="gbk">' in article.body
    assert "北朝鲜" in article.body.decode("gbk")


def test_demo_site_fills_js_column_from_json(initial: DemoSite) -> None:
    page = oracle.decode(get(initial.base("portal") + "zcjd/index.html"))
    assert '<script src="/js/zcjd.js">' in page and "<li>" not in page.split("zcjd-list")[1][:40]
    data = json.loads(get(initial.base("portal") + "zcjd/list.json").body)
    assert data["total"] == 6
    assert all(get(initial.base("portal").rstrip("/") + item["url"]).status == 200
               for item in data["items"])


def test_demo_site_letters_show_asked_and_reply_dates(initial: DemoSite) -> None:
    listing = oracle.decode(get(initial.base("portal") + "ldxx/index.html"))
    assert listing.count("ldxx/xj_") == 10
    overdue = oracle.decode(get(initial.base("portal") + "ldxx/xj_1208.html"))
    assert "来信时间：2026-06-30" in overdue and "回复时间：2026-10-28" in overdue
    assert "状态：办理中" in oracle.decode(get(initial.base("portal") + "ldxx/xj_1206.html"))


def test_demo_site_attachments_open_and_xlsx_holds_the_id(initial: DemoSite) -> None:
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    page = oracle.decode(get(article_url(initial, "tzgg", 0)))
    links = {p.rsplit(".", 1)[1]: p for p in re.findall(r'href="([^"]+\.(?:docx|xlsx|pdf))"', page)}
    base = initial.base("portal").rstrip("/")
    files = {ext: get(base + path).body for ext, path in links.items()}
    assert "申报" in "".join(p.text for p in Document(io.BytesIO(files["docx"])).paragraphs)
    cells = [str(c) for row in load_workbook(io.BytesIO(files["xlsx"])).active.iter_rows(
        values_only=True) for c in row]
    assert numbers.ATTACHMENT_ID in cells
    assert "Yunxi" in PdfReader(io.BytesIO(files["pdf"])).pages[0].extract_text()


def test_demo_site_mirrors_parse_as_feeds_and_lists(initial: DemoSite) -> None:
    by_name = {a["name"]: a["url"] for a in initial.accounts}
    rss = feedparser.parse(get(by_name["云溪发布"]).body)
    atom = feedparser.parse(get(by_name["云溪政务微博"]).body)
    assert rss.version == "rss20" and len(rss.entries) == 8
    assert atom.version == "atom10" and atom.entries[0].updated.startswith("2026-11-27")
    assert "按" not in rss.entries[2].summary or "布署" not in rss.entries[2].summary
    assert "布署" in oracle.decode(get(rss.entries[2].link))
    assert oracle.decode(get(by_name["云溪教育"])).count('class="date">') == 8
    scripted = by_name["云溪文旅"].rsplit("/", 1)[0] + "/posts.json"
    assert len(json.loads(get(scripted).body)["items"]) == 8
    assert get(initial.down_mirror_url).status == "refused"


def test_demo_site_set_state_changes_pages_and_manifest(demo: DemoSite) -> None:
    demo.set_state("initial")
    ports = [demo.port(role) for role in ("portal", "dept", "external", "mirrors")]
    phone_page = article_url(demo, "gzdt", 1)
    initial = demo.manifest()
    assert numbers.MOBILE in oracle.decode(get(phone_page))
    demo.set_state("fixed")
    fixed = demo.manifest()
    assert numbers.MOBILE not in oracle.decode(get(phone_page))
    assert "暂无信息" not in oracle.decode(get(demo.base("portal") + "ghjh/index.html"))
    demo.set_state("regressed")
    regressed = demo.manifest()
    demo.set_state("attacked")
    attacked = demo.manifest()
    home = oracle.decode(get(demo.base("portal")))
    parked = oracle.decode(get(demo.base("external") + "shanghui/"))
    cloaked = _fetch_as(demo.base("portal"), "Mozilla/5.0 (compatible; Baiduspider/2.0)")
    demo.set_state("initial")
    assert "display: none" not in oracle.decode(get(demo.base("portal")))
    assert "域名出售" not in oracle.decode(get(demo.base("external") + "shanghui/"))
    assert _fetch_as(demo.base("portal"), "Mozilla/5.0 (compatible; Baiduspider/2.0)")[0] == 200
    assert [demo.port(role) for role in ("portal", "dept", "external", "mirrors")] == ports
    gone = [f for f in initial if f not in fixed]
    new = [f for f in fixed if f not in initial]
    assert sorted(f["rule"] for f in gone) == [
        "column-blank", "link-broken", "privacy-phone", "wording-typo"]
    assert [(f["rule"], f["text"]) for f in new] == [("wording-outdated", "环保局")]
    assert [f for f in regressed if f not in fixed] == [f for f in initial if f["rule"] == "wording-typo"
                                                       and "site" in f]
    assert [f for f in fixed if f not in attacked] == []
    assert sorted(f["rule"] for f in attacked if f not in fixed) == [
        "security-dark-link", "security-dark-link", "security-illegal-content",
        "security-illegal-content", "security-illegal-content", "security-outbound-hijacked",
        "security-redirect", "security-script-changed"]
    assert '<style>.ft-yq { display: none }</style>' in home and "澳门新葡京" in home
    assert "域名出售" in parked
    assert cloaked == (302, demo.base("external") + "bet/")


def _fetch_as(url: str, user_agent: str) -> tuple[int, str]:
    """Status and Location of ``url`` fetched with ``user_agent``, redirects not followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=5)
    try:
        connection.request("GET", parts.path or "/", headers={"User-Agent": user_agent})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


@pytest.mark.parametrize("state", ["initial", "fixed", "regressed", "attacked"])
def test_demo_site_manifest_matches_an_independent_crawl(demo: DemoSite, state: str) -> None:
    demo.set_state(state)
    try:
        found = _oracle_findings(demo, oracle.load_lexicon(BUILTIN))
    finally:
        demo.set_state("initial")
    demo.set_state(state)
    expected = {(f["rule"], f.get("site") or f["account"], f["url"],
                 f.get("target") or f.get("text")) for f in demo.manifest()
                if f["rule"].startswith(("link-", "wording-", "privacy-"))}
    demo.set_state("initial")
    assert found == expected


def _oracle_findings(demo: DemoSite, lexicon: list[oracle.Term]) -> set[tuple[str, str, str, str]]:
    out: set[tuple[str, str, str, str]] = set()
    for site in demo.sites:
        result = oracle.crawl(site["url"], TIMEOUT)
        out |= _oracle_links(result, site["name"], urlsplit(site["url"]).netloc)
        for url, fetched in result.pages.items():
            for rule, text in _oracle_text(fetched, lexicon):
                out.add((rule, site["name"], url, text))
    for account in demo.accounts:
        result = oracle.crawl(account["url"], TIMEOUT)
        for url, fetched in result.pages.items():
            for rule, text in _oracle_text(fetched, lexicon):
                out.add((rule, account["name"], url, text))
    return out


def _oracle_text(fetched: oracle.Fetched, lexicon: list[oracle.Term]) -> set[tuple[str, str]]:
    if fetched.status != 200:
        return set()
    kind = fetched.content_type
    if kind.startswith("text/html"):
        raw = oracle.decode(fetched)
        found = oracle.PUBDATE.search(raw)
        published = date.fromisoformat(found.group(1)) if found else None
        text = oracle.page_text(fetched)
    elif "spreadsheet" in kind:
        from openpyxl import load_workbook
        book = load_workbook(io.BytesIO(fetched.body))
        text, published = " ".join(str(c) for r in book.active.iter_rows(values_only=True)
                                   for c in r if c is not None), None
    elif "wordprocessing" in kind:
        from docx import Document
        text, published = "\n".join(p.text for p in Document(io.BytesIO(fetched.body)).paragraphs), None
    else:
        return set()
    return oracle.wording_hits(text, lexicon, published) | oracle.privacy_hits(text, AS_OF)


def _oracle_links(result: oracle.Crawl, name: str, scope: str) -> set[tuple[str, str, str, str]]:
    out = set()
    for target, pages in result.linked_from.items():
        inside = urlsplit(target).netloc == scope
        fetched = result.pages.get(target) if inside else result.targets.get(target)
        assert fetched is not None, target
        status = fetched.status
        soft = status == 200 and fetched.content_type.startswith("text/html") \
            and "<title>页面不存在" in oracle.decode(fetched)
        if status in (404, 410, "refused") or soft or (status == 403 and inside):
            out.add(("link-broken", name, min(pages), target))
        elif status in (403, 429, "timeout") or (isinstance(status, int) and status >= 500):
            out.add(("link-suspect", name, min(pages), target))
    return out


def test_demo_site_planted_numbers_pass_their_checks_and_are_masked(initial: DemoSite) -> None:
    for number in (numbers.ARTICLE_ID, numbers.ATTACHMENT_ID):
        assert numbers.id_is_valid(number) and not numbers.luhn_is_valid(number)
    assert numbers.luhn_is_valid(numbers.BANK_CARD) and numbers.BANK_CARD.startswith("622")
    assert not numbers.id_is_valid(numbers.BROKEN_ID)
    assert not numbers.luhn_is_valid(numbers.NON_LUHN_CARD) and len(numbers.NON_LUHN_CARD) == 16
    assert numbers.MOBILE in numbers.LONG_RUN
    texts = {f["rule"]: f for f in initial.manifest() if f["rule"].startswith("privacy-")}
    assert texts["privacy-bank-card"]["text"] == numbers.BANK_CARD[:6] + "******" + numbers.BANK_CARD[-4:]
    dumped = json.dumps(initial.manifest(), ensure_ascii=False)
    for full in (numbers.ARTICLE_ID, numbers.ATTACHMENT_ID, numbers.BANK_CARD, numbers.MOBILE,
                 numbers.ACCOUNT_MOBILE):
        assert full not in dumped
    ids = [f["text"] for f in initial.manifest() if f["rule"] == "privacy-id-number"]
    assert sorted(ids) == sorted(n[:6] + "********" + n[-4:]
                                 for n in (numbers.ARTICLE_ID, numbers.ATTACHMENT_ID))


def test_demo_site_manifest_covers_every_site_rule_but_unreachable(initial: DemoSite) -> None:
    rules = {f["rule"] for f in initial.manifest()}
    assert rules == {
        "homepage-stale", "column-stale", "column-blank", "columns-veto", "interaction-overdue",
        "link-broken", "link-suspect", "site-identity", "wording-severe", "wording-outdated",
        "wording-sensitive", "wording-typo", "wording-suspect", "privacy-id-number",
        "privacy-phone", "privacy-bank-card", "account-stale", "account-zombie",
        "interpretation-missing", "interpretation-late", "interpretation-unlinked",
        "annual-report-missing", "annual-report-inconsistent"}
    stale = {f["column"] for f in initial.manifest() if f["rule"] == "column-stale"}
    assert "部门动态" not in {f["column"] for f in initial.manifest()
                           if f["rule"] == "column-stale" and f["site"] == "云溪区人民政府门户网站"}
    assert {"乡镇动态", "政策文件", "人事信息"} <= stale


def test_demo_site_config_toml_loads_as_settings(initial: DemoSite, tmp_path: Path) -> None:
    path = tmp_path / "xunwang.toml"
    path.write_text(initial.config_toml(db_url="sqlite:///x.db", outbox=str(tmp_path / "out")),
                    encoding="utf-8")
    settings = load_settings(path, environ={})
    assert [s.url for s in settings.sites] == [s["url"] for s in initial.sites]
    assert len(settings.accounts) == 6 and len(settings.units) == 5
    assert settings.crawler.timeout_seconds == TIMEOUT


def test_demo_site_units_route_a_subsection_by_longer_prefix(initial: DemoSite) -> None:
    portal = initial.base("portal")
    prefixes = {u["name"]: [m for m in u["match"] if m.startswith("http")] for u in initial.units}
    assert prefixes["区政务公开办"] == [portal] and prefixes["区人力社保局"] == [portal + "rsxx/"]
    stale = [f for f in initial.manifest() if f.get("column") == "人事信息" and "site" in f
             and f["site"] == initial.sites[0]["name"]]
    assert stale[0]["url"].startswith(portal + "rsxx/")
    named = {name for u in initial.units for name in u["match"]}
    assert {a["name"] for a in initial.accounts} <= named


def test_demo_site_scales_to_20000_articles_lazily() -> None:
    started = time.perf_counter()
    with DemoSite(as_of=AS_OF, articles=20000, benchmark=True) as site:
        elapsed = time.perf_counter() - started
        base = site.base("portal").rstrip("/")
        last = oracle.decode(get(base + "/ywdt/index.html"))
        tail = re.search(r'href="(/ywdt/index_(\d+)\.html)">尾页', last)
        assert tail and int(tail.group(2)) > 400
        sample = re.findall(r'<li><a href="([^"]+)"', oracle.decode(get(base + tail.group(1))))
        conn = http.client.HTTPConnection("127.0.0.1", site.port("portal"), timeout=5)
        for path in sample[:10]:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.status == 200 and response.getheader("LinkChecker")
        conn.close()
    assert elapsed < 5


def test_demo_site_serves_every_list_page_of_a_200000_article_site() -> None:
    # a list page deep in a 200,000-article column once failed with a date overflow, so a
    # scale benchmark crawled an eighth of the site and reported it complete
    with DemoSite(as_of=AS_OF, articles=200_000, benchmark=True) as site:
        base = site.base("portal").rstrip("/")
        first = oracle.decode(get(base + "/ywdt/index.html"))
        tail = re.search(r'href="(/ywdt/index_(\d+)\.html)">尾页', first)
        assert tail and int(tail.group(2)) > 4000
        for page in (616, int(tail.group(2))):
            listed = re.findall(r'<li><a href="([^"]+)"',
                                oracle.decode(get(f"{base}/ywdt/index_{page}.html")))
            assert listed, page


def test_demo_site_rejects_bad_state_and_clock() -> None:
    with pytest.raises(ConfigError):
        DemoSite(as_of=AS_OF, state="broken")
    with pytest.raises(ConfigError):
        DemoSite(as_of=date(2018, 1, 1))


def test_demo_site_command_documents_its_options() -> None:
    result = CliRunner().invoke(main, ["demo-site", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--state", "--articles", "--as-of", "--benchmark",
                   "--write-config", "--manifest"):
        assert option in result.output
