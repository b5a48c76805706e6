"""The site spider: fetch each site within its scope, check every reference once, yield items.

It decides only what to fetch and records what happened (statuses and failure classes of
``crawler.outcome``); everything is judged later by ``checks``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import StopDownload
from scrapy.http import Response
from twisted.python.failure import Failure

from checks.annual_report import looks_like_report
from core.clock import local_now
from core.errors import FetchError
from core.settings import Settings, SiteConfig
from crawler import extract, visits
from crawler.extract.security import landing, outbound_content
from crawler.extract.tables import docx_tables
from crawler.outcome import error_failure, status_failure
from crawler.previous import PreviousIndex, due
from crawler.records import (
    ColumnItem,
    ColumnMoreItem,
    EntryData,
    HomeItemsItem,
    KeptItem,
    LetterItem,
    LinksItem,
    PageItem,
    TargetItem,
    UnchangedItem,
)
from crawler.refusals import Refusal
from crawler.scope import Scope
from crawler.state import LocalState
from crawler.traps import TrapGuard, chain_length

PAGE_TAGS = {"a", "area", "iframe", "frame", "meta-refresh"}
RESOURCE_EXT = (
    ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".css", ".js",
    ".mp4", ".mp3", ".avi", ".flv", ".swf", ".woff", ".woff2", ".ttf", ".eot", ".webm",
)
HTML_TYPES = ("text/html", "application/xhtml")
EXTERNAL_MAXSIZE = 2_000_000




def request_of(response: Response) -> scrapy.Request:
    """The request a callback's response answers (always set inside a crawl)."""
    assert response.request is not None
    return response.request


def _entries(rows: Any) -> tuple[EntryData, ...]:
    return tuple(EntryData(e.title, e.url, e.published) for e in rows)


class SiteSpider(scrapy.Spider):
    name = "xunwang-site"

    def __init__(
        self,
        xw: Settings,
        site_names: list[str],
        previous: dict[str, PreviousIndex],
        as_of: date,
        state: LocalState | None = None,
        verify: dict[str, list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.xw = xw
        self.as_of = as_of
        self.sites = {s.name: s for s in xw.sites if s.name in site_names}
        self.scopes = {n: Scope.for_site(s, list(xw.sites)) for n, s in self.sites.items()}
        self.previous = previous
        # URLs of live items: always requested, so a fix is seen (crawler.previous)
        self.verify = {name: frozenset(urls) for name, urls in (verify or {}).items()}
        self.state = state if state is not None else LocalState()
        self.profiles: dict[str, extract.NotFoundProfile | None] = {}
        self.progress = {"pages": 0, "links": 0, "errors": 0, "kept": 0,
                         "started": time.monotonic()}
        self.traps = TrapGuard(xw.crawler.trap_variants)
        self.limits: dict[str, int] = {}  # limit name -> fetches it refused (for the run's stats)
        self.truncated: dict[str, int] = {}  # site -> fetches refused by its page_limit
        self.today = self._now().date()  # fetch ages count in wall-clock days, not as_of

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_bytes, signal=signals.bytes_received)
        return spider

    def on_bytes(self, data: bytes, request: scrapy.Request, spider: Any) -> None:
        """An outbound page is read only up to ``crawler.outbound_body_bytes``."""
        if not request.meta.get("xw_outbound"):
            return
        read = request.meta["xw_read"] = request.meta.get("xw_read", 0) + len(data)
        if read >= self.xw.crawler.outbound_body_bytes:
            raise StopDownload(fail=False)

    # --- start ---------------------------------------------------------------------

    def _now(self) -> datetime:
        """Wall time of the configured timezone, as the store keeps it."""
        return local_now(self.xw.schedule.timezone)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        # Claimed before any page is parsed: a link from another configured site must not
        # turn a homepage into a mere link check (the homepage is crawled by its own site).
        for site in self.sites.values():
            self.state.first_time(site.url)
        for site in self.sites.values():
            probe = urljoin(site.url, f"/xunwang-{uuid.uuid4().hex[:12]}-not-found.html")
            yield scrapy.Request(
                probe, callback=self.on_notfound_probe, errback=self.on_notfound_probe,
                meta=self._meta(site, dont_retry=True), dont_filter=True, priority=100,
            )

    def _meta(self, site: SiteConfig, **extra: Any) -> dict[str, Any]:
        meta: dict[str, Any] = {"site": site.name, **extra}
        if site.robots == "ignore":
            meta["dont_obey_robotstxt"] = True
        return meta

    def on_notfound_probe(self, result: Response | Failure) -> Iterator[scrapy.Request]:
        request = result.request if isinstance(result, Failure) else request_of(result)  # type: ignore[attr-defined]
        site = self.sites[request.meta["site"]]
        page = None
        if isinstance(result, Response) and result.status == 200 and self._is_html(result):
            # The site answers unknown URLs with 200: its own error page is the soft-404 model.
            analysis = extract.analyse(result.body, result.url, header_charset=self._charset(result),
                                       nav_links=False)
            page = (analysis.title, analysis.text)
        self.state.set_notfound(site.name, page)
        if self.state.first_time(f"homepage:{site.url}") and self._admit_page(site):
            yield self._page_request(site, site.url, homepage=True)  # one worker crawls it
            if self.xw.crawler.security:
                yield from self._visits(site)
            for source in site.repost_from:
                yield self._repost_request(site, source)

    # --- visits as other visitors (crawler.visits) --------------------------------

    def _visits(self, site: SiteConfig) -> Iterator[scrapy.Request]:
        for url in visits.visit_urls(site):
            for visitor in visits.VISITORS:
                yield visits.request(site, url, visitor, self._meta(site), self.on_visit,
                                     self.on_visit_error)

    def on_visit(self, response: Response) -> Iterator[Any]:
        site = self.sites[response.meta["site"]]
        follow = list(visits.follow(site, response, self.scopes[site.name].contains,
                                    self.on_visit, self.on_visit_error))
        if follow:
            yield from follow
            return
        target = visits.location(response)
        meta = dict(response.meta)
        if target:
            meta["xw_hops"] = [*meta["xw_hops"], target]
        refresh, scripts = "", list[list[str]]()
        if response.status == 200 and self._is_html(response):
            refresh, scripts = landing(response.body, response.url, self._charset(response))
        yield visits.item(site.name, meta, self._now(), status=response.status,
                          refresh=refresh, scripts=scripts)

    def on_visit_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        yield visits.item(request.meta["site"], request.meta, self._now(), status=None,
                          failure=error_failure(failure))

    # --- repost sources --------------------------------------------------------------

    def _repost_request(self, site: SiteConfig, url: str) -> scrapy.Request:
        """A list or feed of a level above (``repost_from``): read, not crawled further."""
        meta = self._meta(site, in_scope=False, download_maxsize=self.xw.crawler.max_page_bytes)
        return scrapy.Request(url, callback=self.parse_repost_source, errback=self.on_error,
                              meta=meta, dont_filter=True, priority=5)

    def parse_repost_source(self, response: Response) -> Iterator[Any]:
        """The source's items as a column of role ``repost`` (the same list extraction as an
        account mirror: feeds, JSON feeds, HTML lists)."""
        from crawler.extract.mirror import parse_mirror

        site = self.sites[response.meta["site"]]
        yield self._target(site, response, status_failure(response.status))
        if response.status != 200:
            return
        result = parse_mirror(response.body, response.url, self._ctype(response),
                              tz=self.xw.schedule.timezone, as_of=self.as_of,
                              fetched_at=self._now())
        entries = tuple(EntryData(p.title, p.url, p.published.date() if p.published else None)
                        for p in result.posts if p.title)
        name = ""
        if self._is_html(response):
            name = extract.analyse(response.body, response.url, nav_links=False,
                                   header_charset=self._charset(response)).title
        yield ColumnItem(site=site.name, url=response.url, name=name or response.url,
                         blank=not entries, placeholder="", top_level=False, entries=entries,
                         role="repost")

    # --- requests ------------------------------------------------------------------

    def _page_request(self, site: SiteConfig, url: str, *, homepage: bool = False,
                      column_root: str | None = None, render: bool = False,
                      chain: int = 0, unrendered: bool = False) -> scrapy.Request:
        """``unrendered``: the page again without the browser, after its render failed."""
        meta = self._meta(site, homepage=homepage, in_scope=True, column_root=column_root,
                          download_maxsize=self.xw.crawler.max_page_bytes, xw_chain=chain,
                          render_failed=unrendered)
        headers: dict[str, str] = {}
        prev = self.previous.get(site.name)
        conditional = prev is not None and not (homepage or render or unrendered)
        known = prev.pages.get(url) if prev is not None and conditional else None
        if known:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        if not unrendered and (render or site.render == "always"):
            # Lists filled from XHR arrive after "load": wait until the network is quiet.
            meta.update(playwright=True, rendered=True, download_maxsize=0,
                        playwright_page_goto_kwargs={"wait_until": "networkidle"})
        return scrapy.Request(url, callback=self.parse_page, errback=self.on_error, meta=meta,
                              headers=headers, dont_filter=True, priority=10 if homepage else 0)

    def _check_request(self, site: SiteConfig, url: str, *, in_scope: bool,
                       method: str = "HEAD", outbound: bool = False) -> scrapy.Request:
        maxsize = self.xw.crawler.max_page_bytes if in_scope else EXTERNAL_MAXSIZE
        meta = self._meta(site, in_scope=in_scope, check_only=True, download_maxsize=maxsize,
                          xw_outbound=outbound)
        return scrapy.Request(url, method=method, callback=self.on_checked, errback=self.on_error,
                              meta=meta, dont_filter=True, priority=-5)

    def _attachment_request(self, site: SiteConfig, url: str) -> scrapy.Request:
        meta = self._meta(site, in_scope=True, attachment=True,
                          download_maxsize=self.xw.crawler.max_attachment_bytes)
        return scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error,
                              meta=meta, dont_filter=True, priority=-2)

    def _schedule(self, site: SiteConfig, url: str, tag: str,
                  origin: tuple[str, int] | None = None, column_root: str | None = None,
                  settled: bool = False) -> Any:
        """One request per target per patrol: crawl, fetch as attachment, or probe.

        ``origin`` is the linking page and its trap chain length; ``column_root`` the first
        page of the column when ``url`` is a further page of it. A URL pattern found to be
        a trap is not fetched (a skipped target says so); past the site's page limit (or
        the column's), page-like links and attachments are only probed. ``settled``: the
        linking page is unchanged since the last run, so what it links to may be carried
        over without a request (``crawler.previous``; a KeptItem is returned then).
        """
        if not url.startswith(("http://", "https://")) or self.state.seen(url):
            return None
        scope = self.scopes[site.name]
        if not scope.contains(url):
            if not self.state.first_time(url):
                return None
            outbound = self.xw.crawler.security and tag in PAGE_TAGS and not url.lower().split(
                "?")[0].endswith(RESOURCE_EXT)
            # an outbound page is read every patrol (hijack checks); other fine links may be kept
            if settled and not outbound and self._keep(site, url, "target"):
                return self._kept(site, url, page=False)
            return self._check_request(site, url, in_scope=False,
                                       method="GET" if outbound else "HEAD", outbound=outbound)
        looks_page = tag in PAGE_TAGS and not url.lower().split("?")[0].endswith(RESOURCE_EXT)
        chain = chain_length(url, *origin) if origin else 0
        if looks_page:
            trap = self.traps.check(url, chain)
            if trap is not None:
                # a closed pattern is recorded once per URL; a chain is only cut here
                return self._skipped(site, url, "trap") if trap.kind != "self-chain" \
                    and self.state.first_time(url) else None
        if not self.state.first_time(url):
            return None
        if settled and self._probed_last_time(site, url):
            # an unchanged page's link that a limit kept from being crawled last time
            if self._keep(site, url, "target"):
                return self._kept(site, url, page=False)
            return self._check_request(site, url, in_scope=True,
                                       method="HEAD" if not looks_page else "GET")
        if extract.attachment_kind(url) is not None:
            if self._admit_page(site):
                if settled and self._keep(site, url, "attachment"):
                    return self._kept(site, url, page=True)
                return self._attachment_request(site, url)
            return self._check_request(site, url, in_scope=True)
        if looks_page and self._admit_page(site, column_root,
                                           crawled_before=settled and column_root is not None):
            if settled and column_root is None and self._keep(site, url, "page"):
                return self._kept(site, url, page=True)
            return self._page_request(site, url, chain=chain, column_root=column_root)
        if settled and self._keep(site, url, "target"):
            return self._kept(site, url, page=False)
        return self._check_request(site, url, in_scope=True, method="HEAD" if not looks_page else "GET")

    def _probed_last_time(self, site: SiteConfig, url: str) -> bool:
        prev = self.previous.get(site.name)
        return prev is not None and url in prev.targets and url not in prev.pages \
            and url not in prev.attachments

    def _keep(self, site: SiteConfig, url: str, kind: str) -> bool:
        """Whether ``url`` may be carried over from the last run instead of requested."""
        prev = self.previous.get(site.name)
        if prev is None or prev.run_id is None or url in self.verify.get(site.name, ()):
            return False
        checked = prev.targets.get(url)
        if checked is None:  # not requested last time, or it failed: ask again
            return False
        if kind == "page":
            known, listed = prev.pages.get(url), prev.articles.get(url)
            if known is None or listed is None:
                return False
            published = listed[1]
            if published is not None and (self.as_of - published).days <= \
                    self.xw.crawler.recent_days:
                return False  # new articles are the ones edited: asked every patrol
            last = known.fetched
        elif kind == "attachment":
            last = prev.attachments.get(url, 0)
        else:
            last = checked
        return not due(url, last, self.today, self.xw.crawler.full_check_days)

    def _kept(self, site: SiteConfig, url: str, *, page: bool) -> KeptItem:
        prev = self.previous[site.name]
        assert prev.run_id is not None
        self.progress["kept"] += 1
        return KeptItem(site.name, url, prev.run_id, page)

    def _follow(self, site: SiteConfig, refs: Iterable[tuple[str, str]],
                origin: tuple[str, int] | None, *, settled: bool | frozenset[str]) -> Iterator[Any]:
        """Schedule ``refs`` (target, tag); a page carried over brings its own references.

        ``settled``: True when the linking page is unchanged, else the URLs it lists as it
        did last time (``_listed_again``).
        """
        prev = self.previous.get(site.name)
        listed = settled if isinstance(settled, frozenset) else frozenset()
        queue = deque((url, tag, origin, settled is True or url in listed) for url, tag in refs)
        while queue:
            url, tag, from_, calm = queue.popleft()
            # a further page of a list found unchanged counts against its column again
            root = prev.pagers.get(url) if settled is True and prev is not None else None
            if root is not None:
                self.state.add_root(root)
                self.state.set_pagination(url, root)
            out = self._schedule(site, url, tag, from_, column_root=root, settled=calm)
            if out is None:
                continue
            yield out
            if isinstance(out, KeptItem) and out.page and prev is not None:
                queue.extend((target, t, None, True) for target, t in prev.refs(url))

    def _admit_page(self, site: SiteConfig, column_root: str | None = None, *,
                    crawled_before: bool = False) -> bool:
        """Count one more fetch of the site (and of the column); False once a limit is reached.

        Every page fetch counts: the homepage, pager pages, rendered re-fetches, attachments.
        ``crawled_before``: a further page of an unchanged list that the last run crawled
        within the column's limit is crawled again, whatever order the pages come in now.
        """
        if column_root is not None and (
                self.state.count_column(column_root) >= self.xw.crawler.column_page_limit
                and not crawled_before):
            self.limits["column_page_limit"] = self.limits.get("column_page_limit", 0) + 1
            return False
        if self.state.count_page(site.name) > site.page_limit:
            self.limits["page_limit"] = self.limits.get("page_limit", 0) + 1
            # the site is larger than its limit: the patrol says so (truncated per site)
            self.truncated[site.name] = self.truncated.get(site.name, 0) + 1
            return False
        return True

    def _skipped(self, site: SiteConfig, url: str, failure: str) -> TargetItem:
        return TargetItem(site=site.name, url=url, in_scope=True, status=None,
                          failure=failure, attempts=0,
                          redirects=(), checked_at=self._now())

    # --- callbacks -----------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        site = self.sites[response.meta["site"]]
        self.progress["pages"] += 1
        if response.status == 304:
            yield from self._unchanged(site, response)
            return
        is_html = self._is_html(response)
        if response.status != 200 or not is_html:
            yield self._target(site, response, status_failure(response.status))
            if response.status == 200 and extract.attachment_kind(response.url, self._ctype(response)):
                yield from self.parse_attachment(response)
            return
        digest = hashlib.sha256(response.body).hexdigest()
        prev = self.previous.get(site.name)
        known = prev.pages.get(response.url) if prev else None
        if known and known.content_hash == digest and not response.meta.get("homepage"):
            yield from self._unchanged(site, response)
            return
        # the navigation is read from the homepage only (SiteSpider._structure)
        analysis = extract.analyse(response.body, response.url,
                                   header_charset=self._charset(response), as_of=self.as_of,
                                   nav_links=bool(response.meta.get("homepage")))
        soft = analysis.error_like or self._like_notfound(site, analysis)
        yield self._target(site, response, status_failure(200, soft404=soft))
        if soft:
            return
        if self._wants_render(site, response, analysis) and self._admit_page(site):
            yield self._page_request(site, response.url, render=True,
                                     homepage=bool(response.meta.get("homepage")),
                                     column_root=response.meta.get("column_root"))
            return
        yield self._page_item(site, response, analysis, digest)
        yield from self._structure(site, response, analysis)
        yield from self._references(site, response.url, analysis.references,
                                    int(response.meta.get("xw_chain", 0)),
                                    self._listed_again(site, analysis))

    def _wants_render(self, site: SiteConfig, response: Response, analysis: Any) -> bool:
        if (response.meta.get("rendered") or response.meta.get("render_failed")
                or site.render != "auto"):
            return False
        if analysis.needs_render:  # e.g. homepage news loaded by a script
            return True
        if analysis.column is None:
            return False
        # A list container that is empty while the page runs scripts may be filled by them:
        # only a browser can tell a blank column from one loaded by JavaScript.
        column = analysis.column
        return bool(column.needs_render or (column.blank and b"<script" in response.body.lower()))

    def _structure(self, site: SiteConfig, response: Response, analysis: Any) -> Iterator[Any]:
        if response.meta.get("homepage"):
            self.state.set_nav(site.name, list(analysis.nav))
            yield HomeItemsItem(site.name, _entries(analysis.dated_links))
        column = analysis.column
        root = self._column_root(response, column)
        if column is not None and root:
            yield ColumnMoreItem(site.name, root, _entries(column.entries))
        elif column is not None and not response.meta.get("homepage"):
            yield self._column_item(site, response, column)
        if column is not None and not response.meta.get("homepage"):
            yield from self._pager(site, response, root or response.url, column.next_pages)
        for letter in analysis.letters:
            yield LetterItem(site.name, letter.url or response.url, response.url, letter.title,
                             letter.asked, letter.replied, letter.status)

    def _pager(self, site: SiteConfig, response: Response, first: str,
               pages: tuple[str, ...]) -> Iterator[Any]:
        """Further pages of a column, each counted against the column's and the site's limits.

        A page refused by a limit is probed as a link; one of a trap pattern is skipped.
        """
        self.state.add_root(first)
        origin = (response.url, int(response.meta.get("xw_chain", 0)))
        for url in pages:
            if url != first:
                self.state.set_pagination(url, first)
            if self.scopes[site.name].contains(url):
                item = self._schedule(site, url, "a", origin, column_root=first)
                if item is not None:
                    yield item

    def _column_root(self, response: Response, column: Any) -> str | None:
        """The first page of the column this page continues, if it is a further page.

        A pager link may reach page 3 before page 2 names it as a continuation, so a page
        whose own pager points at a known first page (首页 / 上一页) continues that column.
        """
        meta_root: str | None = response.meta.get("column_root")
        root = meta_root or self.state.pagination(response.url)
        if root or column is None or self.state.is_root(response.url):
            return root
        next_pages: tuple[str, ...] = column.next_pages
        for url in next_pages:
            if self.state.is_root(url):
                return url
            root = self.state.pagination(url)
            if root:
                return root
        return None

    def _column_item(self, site: SiteConfig, response: Response, column: Any) -> ColumnItem:
        url = response.url
        nav_name = (self.state.nav_name(site.name, url)
                    or self.state.nav_name(site.name, request_of(response).url))
        name = (nav_name or column.name or "").strip() or url
        rendered = bool(response.meta.get("rendered"))
        # a list a script fills is blank only when the rendered page still shows no entry
        blank = column.blank or (rendered and column.needs_render and not column.entries)
        return ColumnItem(
            site=site.name, url=url, name=name, blank=blank,
            placeholder=column.placeholder or "", top_level=nav_name is not None,
            entries=_entries(column.entries), rendered=rendered,
        )

    def _references(self, site: SiteConfig, source: str, refs: Any,
                    chain: int = 0, settled: frozenset[str] = frozenset()) -> Iterator[Any]:
        refs = tuple(refs)
        self.progress["links"] += len(refs)
        yield LinksItem(site.name, source, tuple((r.url, r.tag, r.anchor) for r in refs))
        yield from self._follow(site, ((r.url, r.tag) for r in refs), (source, chain),
                                settled=settled)

    def _listed_again(self, site: SiteConfig, analysis: Any) -> frozenset[str]:
        """Entries of this (changed) page listed last time with the same title and date."""
        prev = self.previous.get(site.name)
        if prev is None or not prev.articles:
            return frozenset()
        listed = list(analysis.dated_links)
        if analysis.column is not None:
            listed += analysis.column.entries
        return frozenset(e.url for e in listed
                         if prev.articles.get(e.url) == (e.title[:2000], e.published))

    def _unchanged(self, site: SiteConfig, response: Response) -> Iterator[Any]:
        prev = self.previous[site.name]
        assert prev.run_id is not None
        url = response.meta.get("redirect_urls", [request_of(response).url])[0]
        yield UnchangedItem(site.name, url, prev.run_id, self._now(),
                            int(response.meta.get("download_latency", 0) * 1000))
        yield from self._follow(site, prev.refs(url), None, settled=True)

    def parse_attachment(self, response: Response) -> Iterator[Any]:
        site = self.sites[response.meta["site"]]
        yield self._target(site, response, status_failure(response.status))
        if response.status != 200:
            return
        kind = extract.attachment_kind(response.url, self._ctype(response)) or "other"
        text, note = None, ""
        tables: tuple[Any, ...] = ()
        try:
            text = extract.attachment_text(response.body, kind)
            if kind == "docx" and looks_like_report(text):
                tables = docx_tables(response.body)
        except FetchError as error:
            note = str(error)
        except Exception as error:  # python-docx on a file that read as text but not as tables
            note = f"附件表格无法读取：{type(error).__name__}"
        yield self._page_item(site, response, None, hashlib.sha256(response.body).hexdigest(),
                              kind="attachment", text=text, note=note, tables=tables)

    def on_checked(self, response: Response) -> Iterator[Any]:
        site = self.sites[response.meta["site"]]
        in_scope = bool(response.meta.get("in_scope"))
        if request_of(response).method == "HEAD" and response.status >= 400:
            # Many servers refuse HEAD (405, 403, 404 on dynamic pages): confirm with GET.
            yield self._check_request(site, response.url, in_scope=in_scope, method="GET")
            return
        soft = False
        content: dict[str, Any] = {}
        if response.meta.get("xw_outbound"):
            # read for what it shows now (checks.security); judged like a HEAD otherwise
            if response.status == 200 and self._is_html(response):
                content = outbound_content(response.body, response.url, self._charset(response),
                                           self.xw.crawler.outbound_body_bytes)
        elif response.status == 200 and request_of(response).method == "GET" and self._is_html(response):
            analysis = extract.analyse(response.body, response.url, nav_links=False,
                                       header_charset=self._charset(response))
            soft = analysis.error_like or (in_scope and self._like_notfound(site, analysis))
        target = self._target(site, response, status_failure(response.status, soft404=soft))
        yield dataclasses.replace(target, content=content) if content else target

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        site = self.sites[request.meta["site"]]
        if request.meta.get("rendered") and not isinstance(failure.value, Refusal):
            # The browser failed (a cold start on a busy machine, a script that never
            # settles), not the page: read the page as served rather than lose it with
            # its column and entries.
            self.crawler.stats.inc_value("xw/render_failures")
            yield self._page_request(site, request.url, homepage=bool(request.meta.get("homepage")),
                                     column_root=request.meta.get("column_root"),
                                     chain=int(request.meta.get("xw_chain", 0)), unrendered=True)
            return
        self.progress["errors"] += 1
        in_scope = bool(request.meta.get("in_scope"))
        sent = not isinstance(failure.value, Refusal) or failure.value.sent
        url = request.meta.get("redirect_urls", [request.url])[0]  # the link as it was found
        yield TargetItem(
            site=site.name, url=url, in_scope=in_scope,
            status=None, failure=error_failure(failure),
            attempts=int(request.meta.get("retry_times", 0)) + int(sent),
            redirects=tuple(request.meta.get("redirect_urls", ())[1:]) + (
                (request.url,) if request.meta.get("redirect_urls") else ()),
            checked_at=self._now(),
        )

    # --- items ---------------------------------------------------------------------

    def _target(self, site: SiteConfig, response: Response, failure: str | None) -> TargetItem:
        request_url = response.meta.get("redirect_urls", [request_of(response).url])[0]
        return TargetItem(
            site=site.name, url=request_url, in_scope=bool(response.meta.get("in_scope", True)),
            status=response.status, failure=failure,
            attempts=int(response.meta.get("retry_times", 0)) + 1,
            redirects=tuple(response.meta.get("redirect_urls", ())[1:]) + (
                (response.url,) if response.meta.get("redirect_urls") else ()),
            checked_at=self._now(),
        )

    def _page_item(self, site: SiteConfig, response: Response, analysis: Any, digest: str, *,
                   kind: str = "page", text: str | None = None, note: str = "",
                   tables: tuple[Any, ...] = ()) -> PageItem:
        request_url = response.meta.get("redirect_urls", [request_of(response).url])[0]
        dates = analysis.dates if analysis is not None else None
        return PageItem(
            site=site.name, url=request_url, final_url=response.url, status=response.status,
            kind=kind, content_type=self._ctype(response),
            encoding=analysis.encoding if analysis is not None else "",
            title=analysis.title if analysis is not None else "",
            text=analysis.text if analysis is not None else text,
            published=dates.published if dates else None,
            dates={**(dates.candidates if dates else {}),
                   "source": dates.source if dates else "none",
                   "disagreement": bool(dates and dates.disagreement)},
            content_hash=digest,
            etag=(response.headers.get("ETag") or b"").decode("latin-1"),
            last_modified=(response.headers.get("Last-Modified") or b"").decode("latin-1"),
            fetched_at=self._now(), elapsed_ms=int(response.meta.get("download_latency", 0) * 1000),
            size=len(response.body), rendered=bool(response.meta.get("rendered")),
            is_homepage=bool(response.meta.get("homepage")),
            footer=analysis.footer if analysis is not None else "",
            redirects=tuple(response.meta.get("redirect_urls", ())), note=note,
            security=analysis.security if analysis is not None else {},
            tables=analysis.tables if analysis is not None else tables,
            column_root=response.meta.get("column_root") or self.state.pagination(request_url),
        )

    # --- helpers -------------------------------------------------------------------

    def _like_notfound(self, site: SiteConfig, analysis: Any) -> bool:
        if site.name not in self.profiles:
            page = self.state.notfound(site.name)
            if page is None:
                return False
            self.profiles[site.name] = extract.NotFoundProfile.from_page(*page)
        profile = self.profiles[site.name]
        return bool(profile and profile.matches(analysis.title, analysis.text))

    @staticmethod
    def _ctype(response: Response) -> str:
        return (response.headers.get("Content-Type") or b"").decode("latin-1").lower()

    def _is_html(self, response: Response) -> bool:
        ctype = self._ctype(response)
        if "xml" in ctype and b"<datastore" in response.body[:300].lower():
            return True  # a Hanweb dataproxy.jsp page of a column's records
        if ctype:
            return ctype.startswith(HTML_TYPES)
        return response.body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))

    def _charset(self, response: Response) -> str | None:
        ctype = self._ctype(response)
        if "charset=" in ctype:
            return ctype.split("charset=", 1)[1].split(";")[0].strip() or None
        return None
