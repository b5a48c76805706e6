"""Which URLs belong to a site: its scheme+host+port, configured hosts and prefixes, minus excludes."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from core.settings import SiteConfig


def origin(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme)
    host = (parts.hostname or "").lower()
    netloc = host if port in (None, default) else f"{host}:{port}"
    return f"{parts.scheme}://{netloc}"


@dataclass(frozen=True)
class Scope:
    """The in-site test for one site; other configured sites' origins are out of scope."""

    origins: frozenset[str]
    hosts: frozenset[str]
    prefixes: tuple[str, ...]
    excludes: tuple[str, ...]
    foreign: frozenset[str]

    @classmethod
    def for_site(cls, site: SiteConfig, others: list[SiteConfig]) -> Scope:
        own = origin(site.url)
        foreign = frozenset(origin(o.url) for o in others if origin(o.url) != own)
        return cls(
            origins=frozenset({own}),
            hosts=frozenset(h.lower() for h in site.hosts),
            prefixes=tuple(site.prefixes),
            excludes=tuple(site.exclude),
            foreign=foreign,
        )

    def contains(self, url: str) -> bool:
        if url.startswith(self.prefixes) if self.prefixes else False:
            return not self.excluded(url)
        own = origin(url)
        if own in self.foreign:
            return False
        host = (urlsplit(url).hostname or "").lower()
        if own in self.origins or host in self.hosts:
            return not self.excluded(url)
        return False

    def excluded(self, url: str) -> bool:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return any(path.startswith(e) or url.startswith(e) for e in self.excludes)
