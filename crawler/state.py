"""What a crawl remembers while it runs: in this process, or shared through Redis.

One patrol may run several crawler processes (scrapy-redis workers). Everything that
decides *what* to fetch — URLs already scheduled, page counts against the limit, the
homepage's navigation names, which pages continue which column, the site's not-found page —
must then be shared, or two workers would fetch the same page or name a column differently.
Redis keys live under ``xunwang:run:<id>:`` and expire, so nothing grows without bound.
"""

from __future__ import annotations

from typing import Any

KEY_TTL_S = 3 * 24 * 3600


class LocalState:
    """The single-process state: plain dicts and sets."""

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._pages: dict[str, int] = {}
        self._columns: dict[str, int] = {}
        self._nav: dict[str, dict[str, str]] = {}
        self._roots: set[str] = set()
        self._pagination: dict[str, str] = {}
        self._notfound: dict[str, tuple[str, str] | None] = {}

    def first_time(self, url: str) -> bool:
        """True once per URL per patrol: whoever gets True fetches it."""
        if url in self._seen:
            return False
        self._seen.add(url)
        return True

    def seen(self, url: str) -> bool:
        """Whether someone already took ``url`` (without taking it)."""
        return url in self._seen

    def count_page(self, site: str) -> int:
        self._pages[site] = self._pages.get(site, 0) + 1
        return self._pages[site]

    def count_column(self, root: str) -> int:
        """Count one more further page of the column at ``root`` (its first page not counted)."""
        self._columns[root] = self._columns.get(root, 0) + 1
        return self._columns[root]

    def set_nav(self, site: str, links: list[tuple[str, str]]) -> None:
        nav = self._nav.setdefault(site, {})
        for text, url in links:
            nav.setdefault(url, text)

    def nav_name(self, site: str, url: str) -> str | None:
        return self._nav.get(site, {}).get(url)

    def add_root(self, url: str) -> None:
        self._roots.add(url)

    def is_root(self, url: str) -> bool:
        return url in self._roots

    def set_pagination(self, url: str, root: str) -> None:
        self._pagination.setdefault(url, root)

    def pagination(self, url: str) -> str | None:
        return self._pagination.get(url)

    def set_notfound(self, site: str, page: tuple[str, str] | None) -> None:
        self._notfound[site] = page

    def notfound(self, site: str) -> tuple[str, str] | None:
        return self._notfound.get(site)


class RedisState(LocalState):
    """Shared through Redis; local copies answer repeated questions without a round trip."""

    def __init__(self, client: Any, run_id: int) -> None:
        super().__init__()
        self.r = client
        self.prefix = f"xunwang:run:{run_id}:"

    def _key(self, name: str) -> str:
        key = self.prefix + name
        self.r.expire(key, KEY_TTL_S, nx=True)
        return key

    def first_time(self, url: str) -> bool:
        if url in self._seen:
            return False
        self._seen.add(url)
        return bool(self.r.sadd(self._key("seen"), url))

    def seen(self, url: str) -> bool:
        return url in self._seen or bool(self.r.sismember(self.prefix + "seen", url))

    def count_page(self, site: str) -> int:
        return int(self.r.incr(self._key(f"pages:{site}")))

    def count_column(self, root: str) -> int:
        return int(self.r.hincrby(self._key("columns"), root, 1))

    def set_nav(self, site: str, links: list[tuple[str, str]]) -> None:
        super().set_nav(site, links)
        key = self._key(f"nav:{site}")
        for text, url in links:
            self.r.hsetnx(key, url, text)

    def nav_name(self, site: str, url: str) -> str | None:
        local = super().nav_name(site, url)
        if local is not None:
            return local
        value = self.r.hget(self.prefix + f"nav:{site}", url)
        return value.decode("utf-8") if value is not None else None

    def add_root(self, url: str) -> None:
        super().add_root(url)
        self.r.sadd(self._key("roots"), url)

    def is_root(self, url: str) -> bool:
        return super().is_root(url) or bool(self.r.sismember(self.prefix + "roots", url))

    def set_pagination(self, url: str, root: str) -> None:
        super().set_pagination(url, root)
        self.r.hsetnx(self._key("pagination"), url, root)

    def pagination(self, url: str) -> str | None:
        value = self.r.hget(self.prefix + "pagination", url)
        return value.decode("utf-8") if value is not None else super().pagination(url)

    def set_notfound(self, site: str, page: tuple[str, str] | None) -> None:
        super().set_notfound(site, page)
        title, text = page or ("", "")
        self.r.hset(self._key(f"notfound:{site}"),
                    mapping={"title": title, "text": text, "found": "1" if page else "0"})

    def notfound(self, site: str) -> tuple[str, str] | None:
        if site in self._notfound:
            return self._notfound[site]
        stored = self.r.hgetall(self.prefix + f"notfound:{site}")
        if not stored:
            return None  # not probed yet: ask again later
        page = ((stored[b"title"].decode(), stored[b"text"].decode())
                if stored.get(b"found") == b"1" else None)
        self._notfound[site] = page
        return page


def cleanup(client: Any, run_id: int) -> None:
    """Delete every key of a finished run (the request queue included)."""
    keys = list(client.scan_iter(match=f"xunwang:run:{run_id}:*", count=500))
    if keys:
        client.delete(*keys)
