"""What each demo server answers, path by path, in the current state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from xunwang.demo import articles as art
from xunwang.demo import mirrors
from xunwang.demo.columns import PORTAL, Catalog
from xunwang.demo.layout import CSS, PNG, STATIC_PAGES
from xunwang.demo.pages import ZCJD_JS, Pages
from xunwang.demo.server import Response

HTML = "text/html; charset=utf-8"
ROBOTS = b"User-agent: *\nDisallow: /admin/\n"
# Planted in-site endpoints of the portal: (status, what it is).
PORTAL_SPECIAL = {
    "/oa/index.html": 403,        # in-site 403: link-broken
    "/jsearch/index.do": 500,     # in-site 500: link-suspect
    "/zt/2019/index.html": 410,   # gone: link-broken
}
SOFT_404 = "/xwzx/zt2019.html"


def _html(text: str, status: int = 200, charset: str = "utf-8", header_charset: bool = True,
          ) -> Response:
    content_type = f"text/html; charset={charset}" if header_charset else "text/html"
    return Response(status, text.encode(charset), content_type)


class SiteApp:
    """The portal or the department site."""

    def __init__(self, catalog: Catalog, site: str, pages: Callable[[], Pages],
                 attachments: Callable[[], dict[str, tuple[bytes, str]]],
                 spider_redirect: Callable[[], str | None] = lambda: None) -> None:
        self.catalog, self.site, self.pages, self.attachments = catalog, site, pages, attachments
        self.spider_redirect = spider_redirect

    def __call__(self, path: str, query: str, user_agent: str = "") -> Response:
        pages = self.pages()
        if path in ("/", "/index.html"):
            cloak = self.spider_redirect() if "Baiduspider" in user_agent else None
            if cloak:  # the attacked homepage sends Baidu's crawler to a gambling page
                return Response(302, b"", HTML, headers=(("Location", cloak),))
            return _html(pages.home())
        static = self._static(path)
        if static is not None:
            return static
        if self.site == PORTAL:
            special = self._portal_special(pages, path)
            if special is not None:
                return special
        if path in STATIC_PAGES:
            return _html(pages.static_page(path))
        found = self._column(pages, path) or self._article(pages, path)
        return found or _html(pages.error_page(), 404)

    def _static(self, path: str) -> Response | None:
        if path == "/robots.txt":
            return Response(200, ROBOTS, "text/plain; charset=utf-8")
        if path == "/css/main.css":
            return Response(200, CSS, "text/css")
        if path in ("/images/dzjg.png", "/images/gongan.png"):
            return Response(200, PNG, "image/png")
        return None

    def _portal_special(self, pages: Pages, path: str) -> Response | None:
        if path in PORTAL_SPECIAL:
            return _html(pages.error_page(), PORTAL_SPECIAL[path])
        if path == SOFT_404:
            return _html(pages.error_page(), 200)
        if path == "/js/zcjd.js":
            return Response(200, ZCJD_JS.encode(), "application/javascript")
        if path == "/zcjd/list.json":
            column = self.catalog.column(PORTAL, "zcjd")
            assert column is not None
            return Response(200, pages.column_json(column).encode(), "application/json")
        if path == "/ldxx/index.html":
            return _html(pages.letters_list())
        if path.startswith("/ldxx/xj_") and path.endswith(".html"):
            number = path[len("/ldxx/xj_"):-len(".html")]
            text = pages.letter_page(int(number)) if number.isdigit() else None
            return _html(text) if text else None
        return self._attachment(pages, path)

    def _attachment(self, pages: Pages, path: str) -> Response | None:
        column = self.catalog.column(PORTAL, "tzgg")
        assert column is not None
        article = pages.article(column, 0)
        for ext in article.attachments:
            if path == art.attachment_path(article, ext):
                body, content_type = self.attachments()[ext]
                return Response(200, body, content_type)
        return None

    def _column(self, pages: Pages, path: str) -> Response | None:
        slug, _, leaf = path.strip("/").partition("/")
        column = self.catalog.column(self.site, slug)
        if column is None or not leaf.startswith("index") or not leaf.endswith(".html"):
            return None
        number = leaf[len("index"):-len(".html")].lstrip("_")
        if leaf != "index.html" and not (number.isdigit() and number != "0"):
            return None
        text = pages.column_page(column, int(number or 0))
        if text is None:
            return None
        return _html(text, charset=column.encoding)

    def _article(self, pages: Pages, path: str) -> Response | None:
        article = art.find(self.catalog, self.site, path, as_of=pages.as_of, seed=pages.seed,
                           state=pages.state)
        if article is None:
            return None
        gbk = article.column.encoding == "gbk"
        # GBK articles name their charset only in <meta>: the header says just text/html.
        return _html(pages.article_page(article), charset=article.column.encoding,
                     header_charset=not gbk)


class ExternalApp:
    """Out-of-scope targets: fine, bot-blocking, rate-limited, down, slow and too slow."""

    STATUS = {"/bot-blocked/": 403, "/rate-limited/": 429, "/maintenance/": 503}

    def __init__(self, slow_seconds: float, timeout_seconds: float,
                 state: Callable[[], str] = lambda: "initial") -> None:
        self.slow_seconds, self.timeout_seconds = slow_seconds, timeout_seconds
        self.state = state

    def __call__(self, path: str, query: str, user_agent: str = "") -> Response:
        page = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>{0}</title></head>" \
               "<body><h1>{0}</h1></body></html>"
        if path in ("/", "/beian/", "/conac/"):
            return _html(page.format("外部网站"))
        if path == "/shanghui/":  # a partner's site; in ``attacked`` its domain is parked
            if self.state() == "attacked":
                return _html(page.format("该域名出售").replace(
                    "</h1>", "</h1><p>This domain is for sale! 本域名出售，欢迎咨询。</p>"))
            return _html(page.format("云溪区工商业联合会"))
        if path.startswith("/bet/"):  # the attacker's pages (dark links, the cloaked redirect)
            return _html(page.format("娱乐平台"))
        if path == "/js/tj.js":
            return Response(200, b"var _tj = 1;", "application/javascript")
        if path in self.STATUS:
            return _html(page.format("访问受限"), self.STATUS[path])
        if path == "/slow/":
            return Response(200, page.format("相关报道").encode(), HTML, delay=self.slow_seconds)
        if path == "/timeout/":
            return Response(200, page.format("在线申报").encode(), HTML, delay=self.timeout_seconds)
        return _html(page.format("404 Not Found"), 404)


class MirrorApp:
    """Account mirrors and their post pages."""

    def __init__(self, as_of: date, base: Callable[[], str]) -> None:
        self.as_of, self.base = as_of, base

    def __call__(self, path: str, query: str, user_agent: str = "") -> Response:
        for account in mirrors.ACCOUNTS:
            prefix = f"/{account.platform}/{account.slug}/"
            if not path.startswith(prefix):
                continue
            if path == account.mirror_path:
                body, content_type = mirrors.mirror(account, self.base(), self.as_of)
                return Response(200, body.encode(), content_type)
            if account.style == "scripted" and path == prefix + "posts.json":
                return Response(200, mirrors.posts_json(account, self.as_of).encode(),
                                "application/json")
            leaf = path[len(prefix):]
            if leaf.startswith("p/") and leaf.endswith(".html") and leaf[2:-5].isdigit():
                text = mirrors.post_page(account, int(leaf[2:-5]), self.as_of)
                if text is not None:
                    return _html(text)
        return _html("<html><body><h1>404</h1></body></html>", 404)
