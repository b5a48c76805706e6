"""``DemoSite``: the demo site group's servers, its config, and its expected findings."""

from __future__ import annotations

import socket
import threading
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from core.errors import ConfigError
from xunwang.demo import attachments, mirrors
from xunwang.demo.columns import DEPT, PORTAL, Catalog
from xunwang.demo.config import render_toml
from xunwang.demo.manifest import Where, expected
from xunwang.demo.pages import Pages
from xunwang.demo.plan import DARK_LINKS, LINKS, NEW_SCRIPT, SPIDER_REDIRECT, TEMPLATE_BROKEN
from xunwang.demo.routes import ExternalApp, MirrorApp, SiteApp
from xunwang.demo.server import App, Server

STATES = ("initial", "fixed", "regressed", "attacked")
SITE_NAMES = {PORTAL: "云溪区人民政府门户网站", DEPT: "云溪区教育局网站"}
ROLES = ("portal", "dept", "external", "mirrors", "closed")
EARLIEST_AS_OF = date(2020, 1, 1)


class DemoSite:
    """A district government's sites and accounts, with planted problems; see the package doc."""

    def __init__(self, *, state: str = "initial", as_of: date, articles: int = 300,
                 host: str = "127.0.0.1", port: int = 0, benchmark: bool = False, seed: int = 7,
                 crawler_timeout: float = 3.0, validators: bool = True) -> None:
        if as_of < EARLIEST_AS_OF:
            raise ConfigError(f"demo as_of must be on or after {EARLIEST_AS_OF}, got {as_of}")
        try:
            self._catalog = Catalog.build(articles)
        except ValueError as error:
            raise ConfigError(f"demo: {error}") from None
        self._check_state(state)
        self.state, self.as_of, self.articles, self.seed = state, as_of, articles, seed
        self.host, self._port, self.benchmark = host, port, benchmark
        self.crawler_timeout = crawler_timeout
        self.validators = validators  # ETag and 304 answers (off: a server without them)
        self._stopping = threading.Event()
        self._servers: dict[str, Server] = {}
        self._closed: socket.socket | None = None
        self._files: dict[str, tuple[bytes, str]] = {}
        self._pages: dict[tuple[str, str], Pages] = {}

    @staticmethod
    def _check_state(state: str) -> None:
        if state not in STATES:
            raise ConfigError(f"demo state must be one of {', '.join(STATES)}, got {state!r}")

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> DemoSite:
        self._files = attachments.build_all()
        extra = (("LinkChecker", "xunwang-demo"),) if self.benchmark else ()
        apps: dict[str, App] = {
            PORTAL: SiteApp(self._catalog, PORTAL, lambda: self._pages_for(PORTAL),
                            lambda: self._files, self._spider_redirect),
            DEPT: SiteApp(self._catalog, DEPT, lambda: self._pages_for(DEPT), lambda: self._files),
            "external": ExternalApp(self.crawler_timeout / 3, self.crawler_timeout * 2 + 1,
                                    lambda: self.state),
            "mirrors": MirrorApp(self.as_of, lambda: self.base("mirrors").rstrip("/")),
        }
        try:
            for offset, (role, app) in enumerate(apps.items()):
                port = self._port + offset if self._port else 0
                self._servers[role] = Server(self.host, port, app, self._stopping, extra,
                                             validators=self.validators)
            # Bound but never listening: connecting gets "connection refused".
            self._closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._closed.bind((self.host, self._port + 4 if self._port else 0))
        except OSError as error:
            self.stop()
            raise ConfigError(f"demo: cannot bind {self.host}: {error}; pick another --port") from None
        for server in self._servers.values():
            server.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        for server in self._servers.values():
            server.stop()
        self._servers = {}
        if self._closed is not None:
            self._closed.close()
            self._closed = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()

    def hits(self) -> dict[tuple[str, str], int]:
        """Requests served so far, by (method, absolute URL)."""
        out: dict[tuple[str, str], int] = {}
        for role, server in self._servers.items():
            base = self.base(role).rstrip("/")
            for (method, path), count in server.hits.items():
                out[(method, base + path)] = count
        return out

    def set_state(self, state: str) -> None:
        self._check_state(state)
        self.state = state

    # -- addresses -------------------------------------------------------------------------
    def port(self, role: str) -> int:
        if role == "closed" and self._closed is not None:
            return int(self._closed.getsockname()[1])
        if role in self._servers:
            return self._servers[role].port
        if self._port:
            return self._port + ROLES.index(role)
        raise ConfigError("demo: ports are chosen at start(); call start() first")

    def base(self, role: str) -> str:
        return f"http://{self.host}:{self.port(role)}/"

    @property
    def down_mirror_url(self) -> str:
        """An account mirror URL that refuses connections (not in the config)."""
        return self.base("closed").rstrip("/") + mirrors.DOWN_MIRROR_PATH

    def _resolve(self) -> dict[str, str]:
        targets = ({p.target for p in LINKS} | {TEMPLATE_BROKEN, NEW_SCRIPT, SPIDER_REDIRECT}
                   | {target for target, _label in DARK_LINKS})
        out = {}
        for target in targets:
            role, _, path = target.partition(":")
            out[target] = self.base(role).rstrip("/") + path
        return out

    def _spider_redirect(self) -> str | None:
        """Where the portal's homepage sends Baiduspider (cloaking), in the attacked state."""
        return self._resolve()[SPIDER_REDIRECT] if self.state == "attacked" else None

    def _pages_for(self, site: str) -> Pages:
        key = (site, self.state)
        if key not in self._pages:
            self._pages[key] = Pages(self._catalog, site, self.as_of, self.seed, self.state,
                                     self.base("external"), self._resolve())
        return self._pages[key]

    # -- configuration ---------------------------------------------------------------------
    @property
    def sites(self) -> list[dict[str, Any]]:
        return [
            {"name": SITE_NAMES[PORTAL], "url": self.base(PORTAL), "hosts": [],
             "robots": "ignore", "unit": "区政务公开办",
             "page_limit": self.articles + self.articles // 5 + 1000},
            {"name": SITE_NAMES[DEPT], "url": self.base(DEPT), "hosts": [],
             "robots": "ignore", "unit": "区教育局", "page_limit": 1000},
        ]

    @property
    def accounts(self) -> list[dict[str, Any]]:
        return [{"name": a.name, "platform": a.platform,
                 "url": self.base("mirrors").rstrip("/") + a.mirror_path,
                 "unit": "区卫生健康局" if a.slug == "yxwj" else "区融媒体中心"}
                for a in mirrors.ACCOUNTS]

    @property
    def units(self) -> list[dict[str, Any]]:
        return [
            {"name": "区政务公开办", "email": "gkb@yunxi.example.cn",
             "match": [self.base(PORTAL), SITE_NAMES[PORTAL]]},
            {"name": "区人力社保局", "email": "rsj@yunxi.example.cn",
             "match": [self.base(PORTAL) + "rsxx/"]},
            {"name": "区教育局", "email": "jyj@yunxi.example.cn", "match": [SITE_NAMES[DEPT]]},
            {"name": "区融媒体中心", "email": "rmt@yunxi.example.cn",
             "match": [a.name for a in mirrors.ACCOUNTS if a.slug != "yxwj"]},
            {"name": "区卫生健康局", "email": "wjj@yunxi.example.cn", "match": ["云溪卫健"]},
        ]

    def config_toml(self, *, db_url: str, outbox: str) -> str:
        # The demo serves only 127.0.0.1: politeness budgets are lifted for it (a real
        # site keeps the defaults, README "Politeness and safety").
        crawler = {"timeout_seconds": self.crawler_timeout, "retries": 1,
                   "autothrottle": False, "concurrency_per_host": 8,
                   "requests_per_second": 500.0, "external_requests_per_second": 100.0,
                   "external_concurrency": 8}
        return render_toml(
            header=f"巡网演示站点配置 (state={self.state}, as_of={self.as_of})",
            sections={"db": {"url": db_url}, "crawler": crawler,
                      "mail": {"outbox": outbox, "office_email": "zwgkb@yunxi.example.org",
                               "sender": "xunwang@yunxi.example.org"},
                      # beside the outbox: a server database has no folder of its own
                      "screenshots": {"directory": str(Path(outbox).parent / "shots")}},
            arrays={"sites": self.sites, "accounts": self.accounts, "units": self.units},
        )

    # -- ground truth ----------------------------------------------------------------------
    def manifest(self) -> list[dict[str, str]]:
        where = Where(self._catalog, self.as_of, self.seed, self.state, dict(SITE_NAMES),
                      {PORTAL: self.base(PORTAL), DEPT: self.base(DEPT)}, self._resolve(),
                      self.base("mirrors").rstrip("/"))
        return expected(where)
