"""The mirror spider: read each account's mirror, fetch posts that need it, check post links."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime, time
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core.clock import local_now, zone
from core.settings import AccountConfig, Settings
from crawler.extract.mirror import mirror_problem, parse_mirror
from crawler.extract.model import MirrorPost
from crawler.extract.post import parse_post_page
from crawler.outcome import error_failure, status_failure
from crawler.records import AccountRunItem, LinksItem, PostItem, TargetItem
from crawler.spiders.site import request_of


def _expected_title(account: AccountConfig) -> str:
    """The name a mirror of this account must carry: checked for RSSHub routes and where set."""
    if account.mirror_title:
        return account.mirror_title
    return account.name if account.account_id else ""


class MirrorSpider(scrapy.Spider):
    name = "xunwang-mirror"

    def __init__(self, xw: Settings, account_names: list[str], as_of: date, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.xw = xw
        self.as_of = as_of
        self.tz = zone(xw.schedule.timezone)  # publish times are wall time of this zone
        self.accounts = {a.name: a for a in xw.accounts if a.name in account_names}
        self.checked: set[str] = set()
        self.progress = {"pages": 0, "links": 0, "errors": 0}

    def _now(self) -> datetime:
        """Wall time of the configured timezone, as the store keeps it."""
        return local_now(self.xw.schedule.timezone)

    def _reference_time(self) -> datetime:
        """The moment a mirror's age is judged at: now, or the end of ``as_of`` for a patrol
        run as of a past day (the demo, a re-run), whose feeds are dated by that day."""
        now = self._now()
        end_of_day = datetime.combine(self.as_of, time.max)
        return min(now, end_of_day.replace(tzinfo=now.tzinfo))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for account in self.accounts.values():
            yield self._mirror_request(account, render=account.render == "always")

    def _mirror_request(self, account: AccountConfig, *, render: bool) -> scrapy.Request:
        meta: dict[str, Any] = {"account": account.name, "dont_obey_robotstxt": True}
        if render:
            meta.update(playwright=True, rendered=True,
                        playwright_page_goto_kwargs={"wait_until": "networkidle"})
        return scrapy.Request(account.url, callback=self.parse_mirror, errback=self.mirror_failed,
                              meta=meta, dont_filter=True)

    def mirror_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        account = self.accounts[request.meta["account"]]
        yield self._run_item(account, "unreachable", f"镜像无法访问（{error_failure(failure)}）")

    def _run_item(self, account: AccountConfig, status: str, error: str) -> AccountRunItem:
        return AccountRunItem(account.name, account.platform, account.url, status, error, self._now())

    def parse_mirror(self, response: Response) -> Iterator[Any]:
        account = self.accounts[response.meta["account"]]
        self.progress["pages"] += 1
        if response.status != 200:
            yield self._run_item(account, "unreachable", f"镜像返回 HTTP {response.status}")
            return
        ctype = (response.headers.get("Content-Type") or b"").decode("latin-1")
        rendered = bool(response.meta.get("rendered"))
        result = parse_mirror(response.body, response.url, ctype, tz=self.tz,
                              selectors=account.selectors, as_of=self.as_of, rendered=rendered)
        if result.needs_render and not rendered and account.render != "never":
            yield self._mirror_request(account, render=True)
            return
        problem = mirror_problem(result, _expected_title(account), self._reference_time(),
                                 self.xw.mirrors.max_age_hours)
        if problem is not None:  # a mirror problem, never a verdict on the account
            yield self._run_item(account, *problem)
            return
        yield self._run_item(account, result.status, result.error or "; ".join(result.notes))
        for post in result.posts:
            if post.needs_fetch:
                yield scrapy.Request(post.url, callback=self.parse_post, errback=self.post_failed,
                                     meta={"account": account.name, "post": post,
                                           "dont_obey_robotstxt": True}, dont_filter=True)
            else:
                yield from self._post(account, post)

    def parse_post(self, response: Response) -> Iterator[Any]:
        account = self.accounts[response.meta["account"]]
        listed: MirrorPost = response.meta["post"]
        self.progress["pages"] += 1
        if response.status != 200:
            yield from self._post(account, listed)
            return
        ctype = (response.headers.get("Content-Type") or b"").decode("latin-1")
        page = parse_post_page(response.body, listed.url, ctype, tz=self.tz)
        published = page.published or listed.published
        if published and published.date() > self.as_of:
            published = listed.published
        merged = MirrorPost(listed.url, listed.title or page.title, published,
                            page.text or listed.text, page.links or listed.links, False)
        yield from self._post(account, merged)

    def post_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        yield from self._post(self.accounts[request.meta["account"]], request.meta["post"])

    def _post(self, account: AccountConfig, post: MirrorPost) -> Iterator[Any]:
        yield PostItem(account.name, post.url, post.title, post.published, post.text, post.links)
        self.progress["links"] += len(post.links)
        yield LinksItem(account.name, post.url, tuple((link, "a", "") for link in post.links))
        for link in post.links:
            if link not in self.checked and link.startswith(("http://", "https://")):
                self.checked.add(link)
                yield scrapy.Request(link, method="HEAD", callback=self.on_checked,
                                     errback=self.on_check_error, dont_filter=True,
                                     meta={"account": account.name, "dont_obey_robotstxt": True})

    def on_checked(self, response: Response) -> Iterator[Any]:
        if request_of(response).method == "HEAD" and response.status >= 400:
            yield request_of(response).replace(method="GET")
            return
        yield self._target(response.meta["account"], request_of(response).url, response.status,
                           status_failure(response.status))

    def on_check_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        yield self._target(request.meta["account"], request.url, None, error_failure(failure))

    def _target(self, account: str, url: str, status: int | None,
                failure: str | None) -> TargetItem:
        return TargetItem(site=account, url=url, in_scope=False, status=status,
                          failure=failure, attempts=1, redirects=(), checked_at=self._now())
