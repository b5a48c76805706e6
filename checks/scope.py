"""Which hosts belong to a configured site, as the security rules see it (host and port).

A site's scope is its own ``host:port``, the hosts its config adds (``hosts``: an ``m.``
site, a CDN it owns) on any port, and the hosts of its ``prefixes``. A URL of another
configured site is outside this site but inside "every configured site".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from core.settings import Settings, SiteConfig


def netloc(url: str) -> str:
    """``host`` or ``host:port`` (default ports dropped), lower case; "" for no host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host if port in (None, default) else f"{host}:{port}"


def hostname(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class SiteScope:
    netlocs: frozenset[str]
    hosts: frozenset[str]
    prefixes: tuple[str, ...] = ()

    def contains(self, url: str) -> bool:
        if self.prefixes and url.startswith(self.prefixes):
            return True
        return netloc(url) in self.netlocs or hostname(url) in self.hosts


def _of(site: SiteConfig) -> SiteScope:
    return SiteScope(
        netlocs=frozenset({netloc(site.url), *(netloc(p) for p in site.prefixes)}),
        hosts=frozenset(h.lower() for h in site.hosts), prefixes=tuple(site.prefixes))


@cache
def _scopes(settings: Settings) -> dict[str, SiteScope]:
    return {site.name: _of(site) for site in settings.sites}


def site_scope(settings: Settings, name: str, url: str) -> SiteScope:
    """The scope of the configured site ``name`` (or of ``url`` alone when not configured)."""
    found = _scopes(settings).get(name)
    return found or SiteScope(frozenset({netloc(url)}), frozenset())


def in_any_site(settings: Settings, url: str, name: str, own_url: str) -> bool:
    """Whether ``url`` belongs to this site or to any other configured site."""
    if site_scope(settings, name, own_url).contains(url):
        return True
    return any(scope.contains(url) for scope in _scopes(settings).values())


def gov_host(url: str) -> bool:
    host = hostname(url)
    return host == "gov.cn" or host.endswith(".gov.cn")
