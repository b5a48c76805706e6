"""One frozen ``Settings`` object: TOML file, then ``XUNWANG_*`` variables, then flags.

This is the only module that reads the environment. Every entry point calls
``load_settings`` once and passes the result down.

Environment overrides: ``XUNWANG_DB`` sets ``db.url``; any other key is
``XUNWANG_<SECTION>__<KEY>`` (double underscore), e.g. ``XUNWANG_MAIL__SMTP_HOST``.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from core.errors import ConfigError

ColumnType = Literal["news", "notice", "must_update", "other"]
Platform = Literal["wechat", "weibo", "douyin", "toutiao", "other"]
RenderMode = Literal["auto", "always", "never"]
SiteKind = Literal["government", "department"]


def site_kind(name: str) -> SiteKind:
    """The default kind of a site or report: a people's government when named 人民政府."""
    return "government" if "人民政府" in name else "department"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
    return value


class ColumnOverride(_Section):
    """Overrides the type (or name) of one column, matched by its name or URL."""

    match: str
    type: ColumnType
    name: str | None = None


class SiteConfig(_Section):
    name: str = Field(min_length=1)
    url: str
    hosts: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    page_limit: int = Field(default=5000, ge=1)
    render: RenderMode = "auto"
    robots: Literal["obey", "ignore"] = "obey"
    unit: str | None = None
    columns: tuple[ColumnOverride, ...] = ()
    key_columns: tuple[str, ...] = ()
    # government | department (条例 第四十九条 deadlines); None: government when the name
    # contains 人民政府, else department
    kind: SiteKind | None = None
    repost_from: tuple[str, ...] = ()  # feeds or list pages the site must repost (转载) from

    @property
    def effective_kind(self) -> SiteKind:
        return self.kind or site_kind(self.name)

    _url = field_validator("url")(classmethod(lambda cls, v: _check_http_url(v)))

    @field_validator("prefixes", "key_columns", "repost_from")
    @classmethod
    def _urls(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_http_url(v) for v in values)


class MirrorSelectors(_Section):
    """CSS selectors for an HTML mirror the generic list detection cannot read."""

    item: str
    title: str = "a"
    link: str = "a"
    date: str | None = None


# RSSHub routes (docs.rsshub.app) per platform; {id} is the account's platform id.
RSSHUB_ROUTES: dict[str, str] = {
    "weibo": "/weibo/user/{id}",  # uid, from weibo.com/u/<uid>
    "wechat": "/wechat/wechat2rss/{id}",  # the Wechat2RSS subscription id
    "douyin": "/douyin/user/{id}",  # sec uid (MS4wLjABAAAA…), from douyin.com/user/<uid>
    "toutiao": "/toutiao/user/token/{id}",  # token, from toutiao.com/c/user/token/<token>
}


class AccountConfig(_Section):
    name: str = Field(min_length=1)
    platform: Platform = "other"
    url: str  # the mirror; generated from [mirrors] rsshub + platform + account_id if absent
    account_id: str = ""  # the platform's id of the account (RSSHub route parameter)
    route: str = ""  # another RSSHub route for it, e.g. "/wechat/ce/{id}"
    mirror_title: str = ""  # its display name on the platform, when it is not `name`
    unit: str | None = None
    render: RenderMode = "auto"
    selectors: MirrorSelectors | None = None

    _url = field_validator("url")(classmethod(lambda cls, v: _check_http_url(v)))


class MirrorsConfig(_Section):
    rsshub: str = ""  # the office's RSSHub, e.g. http://rsshub.internal:1200
    max_age_hours: float = Field(default=48, gt=0)  # a feed built longer ago: stale mirror

    @field_validator("rsshub")
    @classmethod
    def _base(cls, value: str) -> str:
        return _check_http_url(value).rstrip("/") if value else value


def rsshub_url(base: str, platform: str, account_id: str, route: str = "") -> str | None:
    """The RSSHub route URL of one account, or None when its platform has no known route."""
    template = route or RSSHUB_ROUTES.get(platform, "")
    if not template:
        return None
    path = template.format(id=quote(account_id, safe=""))
    return base.rstrip("/") + ("" if path.startswith("/") else "/") + path


def _fill_mirror_urls(data: Any) -> Any:
    """Accounts without `url` get their RSSHub route (before validation, so errors name it)."""
    if not isinstance(data, Mapping) or not data.get("accounts"):
        return data
    mirrors = data.get("mirrors") or {}
    base = mirrors.get("rsshub", "") if isinstance(mirrors, Mapping) else ""
    accounts = []
    for account in data["accounts"]:
        if isinstance(account, Mapping) and not account.get("url"):
            account = dict(account)
            account.pop("url", None)
            if account.get("account_id"):
                if not base:
                    raise ValueError(f"accounts「{account.get('name')}」: account_id needs "
                                     "[mirrors] rsshub (or give the mirror's url)")
                url = rsshub_url(base, str(account.get("platform", "other")),
                                 str(account["account_id"]), str(account.get("route", "")))
                if url is None:
                    raise ValueError(f"accounts「{account.get('name')}」: no RSSHub route for "
                                     f"platform {account.get('platform', 'other')!r}; set route "
                                     "or url")
                account["url"] = url
        accounts.append(account)
    return {**data, "accounts": accounts}


class UnitConfig(_Section):
    name: str = Field(min_length=1)
    email: str = ""
    match: tuple[str, ...] = ()


class DbConfig(_Section):
    url: str = "sqlite:///xunwang.db"


class MailConfig(_Section):
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str = ""
    password: SecretStr = SecretStr("")
    sender: str = "xunwang@localhost"
    office_email: str = ""
    outbox: str = "outbox"
    timeout_seconds: float = Field(default=30, gt=0)


class ScheduleConfig(_Section):
    timezone: str = "Asia/Shanghai"
    patrol: str = "0 2 * * *"
    patrol_spread_minutes: int = Field(default=120, ge=0)
    patrol_timeout_minutes: int = Field(default=240, ge=1)
    patrol_retry_minutes: int = Field(default=30, ge=0)  # a failed patrol runs again; 0: never
    probe: str = "*/15 * * * *"
    probe_timeout_seconds: float = Field(default=15, gt=0)
    digest: str = "0 8 * * *"
    digest_workdays_only: bool = True
    retention: str = "30 3 * * *"
    retention_days: int = Field(default=90, ge=1)
    misfire_grace_seconds: int = Field(default=6 * 3600, ge=1)
    patrol_workers: int = Field(default=2, ge=1, le=32)  # crawls at once (a browser each)
    alerts: bool = True  # mail veto security / severe / ID-number findings when a patrol ends

    @field_validator("patrol", "probe", "digest", "retention")
    @classmethod
    def _cron(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError(f"must be a five-field cron string, got {value!r}")
        return value


class CrawlerConfig(_Section):
    user_agent: str = "Xunwang/0.1 (government website patrol; +https://github.com/xunwang/xunwang)"
    concurrency_per_host: int = Field(default=8, ge=1, le=64)
    concurrency: int = Field(default=32, ge=1, le=512)
    timeout_seconds: float = Field(default=15, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    autothrottle: bool = True
    max_page_bytes: int = Field(default=10_000_000, ge=1024)
    max_attachment_bytes: int = Field(default=20_000_000, ge=1024)
    chromium_path: str = "/usr/bin/chromium"
    # Used instead of chromium_path when installed (Debian's chromium-headless-shell): the
    # same engine in about half the memory. "" always uses chromium_path.
    headless_shell_path: str = "/usr/bin/chromium-headless-shell"
    browser_idle_seconds: float = Field(default=30, gt=0)  # then a crawl's Chromium is stopped
    cdp_url: str = ""
    redis_url: str = ""
    workers: int = Field(default=1, ge=1, le=64)  # crawler processes per patrol (needs redis_url)
    download_delay: float = Field(default=0.0, ge=0)
    # Politeness and safety (README "Politeness and safety"): ceilings a site owner can rely on.
    requests_per_second: float = Field(default=5.0, gt=0, le=1000)  # per host of a patrolled site
    external_requests_per_second: float = Field(default=1.0, gt=0, le=1000)  # per probed host
    external_concurrency: int = Field(default=2, ge=1, le=16)  # requests at once per probed host
    retry_after_max_seconds: float = Field(default=120, ge=0)  # longer: the host's URLs are suspect
    column_page_limit: int = Field(default=50, ge=1)  # pages of one column, its first included
    trap_variants: int = Field(default=50, ge=2)  # dates / self-links one URL pattern may take
    # Re-patrols: an article of an unchanged list is fetched again at least this often
    # (crawler.previous); pages of live items, lists and the homepage every patrol.
    full_check_days: int = Field(default=7, ge=1, le=366)
    recent_days: int = Field(default=14, ge=0)  # articles published this recently: every patrol
    # Security patrol: homepage and key columns fetched as other visitors, outbound pages read.
    security: bool = True
    outbound_body_bytes: int = Field(default=262_144, ge=1024)  # read of an outbound page


    @model_validator(mode="after")
    def _workers_need_redis(self) -> CrawlerConfig:
        if self.workers > 1 and not self.redis_url:
            raise ValueError("workers > 1 needs redis_url (the shared request queue)")
        return self


class ChecksConfig(_Section):
    homepage_veto_days: int = 14
    homepage_warn_days: int = 10
    news_days: int = 14
    notice_days: int = 183
    must_update_days: int = 365
    columns_veto_news_notice: int = 5
    columns_veto_all: int = 10
    columns_veto_blank: int = 5
    letters_window_days: int = 365
    letters_reply_days: int = 90
    probe_window_days: int = 7
    unreachable_veto_ratio: float = 0.05
    unreachable_warn_ratio: float = 0.03
    account_veto_days: int = 14
    account_warn_days: int = 10
    account_zombie_days: int = 90
    lexicons: tuple[str, ...] = ()
    allow_terms: tuple[str, ...] = ()
    context_chars: int = Field(default=30, ge=0, le=200)
    allow_script_hosts: tuple[str, ...] = ()  # external script/iframe hosts a site really uses
    certificate_warn_days: int = Field(default=30, ge=0)
    # the wrong-character detector's confidence (log10 odds after the slip's prior cost)
    typo_threshold: float = Field(default=3.25, ge=0.0, le=20.0)
    interpretation_window_days: int = Field(default=365, ge=1)
    interpretation_working_days: int = Field(default=3, ge=0)
    repost_window_hours: int = Field(default=24, ge=1)
    repost_lookback_days: int = Field(default=30, ge=1)
    annual_report_deadline_government: str = Field(default="03-31", pattern=r"^\d\d-\d\d$")
    annual_report_deadline_department: str = Field(default="01-31", pattern=r"^\d\d-\d\d$")


class RectificationConfig(_Section):
    deadline_veto_days: int = Field(default=3, ge=1)
    deadline_deduct_days: int = Field(default=10, ge=1)
    deadline_warn_days: int = Field(default=10, ge=1)
    due_soon_days: int = Field(default=2, ge=0)


class ScreenshotConfig(_Section):
    """Screenshots of pages with a finding (``crawler.camera``), taken after a patrol's checks."""

    enabled: bool = True
    directory: str = ""  # "": a ``shots`` folder beside the SQLite database, else ./shots
    per_patrol: int = Field(default=40, ge=0)  # at most this many pages per patrol
    concurrency: int = Field(default=2, ge=1, le=8)  # pages open at once in the one browser
    timeout_seconds: float = Field(default=20, gt=0)  # per page: load, mark, capture
    width: int = Field(default=1280, ge=320, le=3840)  # viewport in CSS pixels
    height: int = Field(default=900, ge=240, le=4000)


class IndicatorPoints(_Section):
    """Points one finding costs under one indicator, and the most the indicator can cost."""

    indicator: str = Field(min_length=1)  # its Chinese label, as the scorecard shows it
    points: float = Field(gt=0)
    cap: float = Field(gt=0)


# Per indicator: (points per finding, cap). The 2019 indicators give each deduction
# indicator its points and cap the deduction there; the per-finding values below are the
# national ones where known (homepage links, 1 point each) and assumptions otherwise —
# README "Scoring" says which. Indicators not listed cost the default_* values.
NATIONAL_POINTS: dict[str, tuple[float, float]] = {
    "首页链接不可用": (1.0, 20.0),
    "其他页面链接不可用": (0.25, 50.0),
    "栏目不更新": (3.0, 30.0),
    "空白栏目": (3.0, 15.0),
    "网站标识": (1.0, 5.0),
    "个人隐私保护": (5.0, 20.0),
    "内容准确性": (1.0, 20.0),
}


class ScoringConfig(_Section):
    """The 100-point scorecard of the 2019 indicators (a veto fails a site whatever its score)."""

    full_score: float = Field(default=100, gt=0)
    pass_score: float = Field(default=60, ge=0)  # a score below this is 不合格
    bonus_from: float = Field(default=80, ge=0)  # above this, bonus items (加分项) count
    default_points: float = Field(default=1, gt=0)  # an indicator not in the table
    default_cap: float = Field(default=10, gt=0)
    indicators: tuple[IndicatorPoints, ...] = ()  # overrides of NATIONAL_POINTS, by indicator

    def _entry(self, indicator: str) -> tuple[float, float]:
        for entry in self.indicators:
            if entry.indicator == indicator:
                return (entry.points, entry.cap)
        return NATIONAL_POINTS.get(indicator, (self.default_points, self.default_cap))

    def points_of(self, indicator: str) -> float:
        return self._entry(indicator)[0]

    def cap_of(self, indicator: str) -> float:
        return self._entry(indicator)[1]


EXAMPLE_SECRET_KEYS = ("change-me",)  # the README's: refused by `serve`


class WebConfig(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8600, ge=1, le=65535)
    base_url: str = "http://127.0.0.1:8600"
    secret_key: SecretStr = SecretStr("")
    page_size: int = Field(default=50, ge=1, le=1000)
    # Reverse proxies (addresses or networks) whose X-Forwarded-For names the client.
    trusted_proxies: tuple[str, ...] = ()

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"not an IP address or network: {entry!r}") from None
        return value


class Settings(_Section):
    """Everything Xunwang needs to run, validated once."""

    source: str = "<defaults>"
    sites: tuple[SiteConfig, ...] = ()
    accounts: tuple[AccountConfig, ...] = ()
    units: tuple[UnitConfig, ...] = ()
    db: DbConfig = DbConfig()
    mail: MailConfig = MailConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    crawler: CrawlerConfig = CrawlerConfig()
    checks: ChecksConfig = ChecksConfig()
    rectification: RectificationConfig = RectificationConfig()
    scoring: ScoringConfig = ScoringConfig()
    mirrors: MirrorsConfig = MirrorsConfig()
    web: WebConfig = WebConfig()
    screenshots: ScreenshotConfig = ScreenshotConfig()

    @model_validator(mode="before")
    @classmethod
    def _mirror_urls(cls, data: Any) -> Any:
        return _fill_mirror_urls(data)

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        for kind, names in (
            ("sites", [s.name for s in self.sites]),
            ("accounts", [a.name for a in self.accounts]),
            ("units", [u.name for u in self.units]),
        ):
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"{kind}: duplicate name {dupes[0]!r}; names must be unique")
        return self

    @model_validator(mode="after")
    def _units_exist(self) -> Settings:
        known = [u.name for u in self.units]
        problems = [
            f"{kind}「{place.name}」.unit: {place.unit!r} matches no [[units]] entry"
            f"{_nearest_hint(place.unit, known)}"
            for kind, places in (("sites", self.sites), ("accounts", self.accounts))
            for place in places if place.unit is not None and place.unit not in known
        ]
        if problems:  # one line each (see _format_error)
            raise ValueError("\n".join(problems))
        return self

    def site(self, name: str) -> SiteConfig:
        for site in self.sites:
            if site.name == name:
                return site
        raise ConfigError(f"{self.source}: no site named {name!r}")

    def with_changes(self, **changes: Any) -> Settings:
        """A validated copy with top-level sections or values replaced."""
        data = self.model_dump(mode="python")
        data.update(changes)
        return _validate(data, self.source)


def _nearest_hint(name: str, known: list[str]) -> str:
    near = difflib.get_close_matches(name, known, n=3, cutoff=0.3)
    if near:
        return f"; nearest: {', '.join(near)}"
    return f"; units: {', '.join(known[:5])}" if known else "; no [[units]] are configured"


def _section_model(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The settings model that holds the key at ``loc`` (list indexes skipped)."""
    model: type[BaseModel] | None = Settings
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        annotation = field.annotation
        model = next((c for c in (annotation, *getattr(annotation, "__args__", ()))
                      if isinstance(c, type) and issubclass(c, BaseModel)), None)
    return model


def _key(loc: tuple[Any, ...], data: Mapping[str, Any]) -> str:
    """``sites「区政府门户」.url`` rather than ``sites.0.url``: a person knows the name."""
    parts: list[str] = []
    node: Any = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list | tuple) and part < len(node):
            node = node[part]
            name = node.get("name") if isinstance(node, Mapping) else None
            parts[-1] += f"「{name}」" if name else f"[{part + 1}]"
            continue
        node = node.get(part) if isinstance(node, Mapping) else None
        parts.append(str(part))
    return ".".join(parts) or "(top level)"


def _message(error: Any, loc: tuple[Any, ...]) -> str:
    if error["type"] == "extra_forbidden":
        model = _section_model(loc[:-1])
        known = list(model.model_fields) if model is not None else []
        near = difflib.get_close_matches(str(loc[-1]), [k for k in known if k != "source"],
                                         n=1, cutoff=0.6)
        return "unknown key" + (f" (did you mean {near[0]}?)" if near else "")
    if error["type"] == "literal_error":
        return f"allowed: {error.get('ctx', {}).get('expected', error['msg'])}"
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return str(error["msg"])


def _format_error(error: ValidationError, source: str, data: Mapping[str, Any]) -> str:
    """Every problem, one line each: the file, the key (sites named by name), what is wrong."""
    lines: list[str] = []
    for found in error.errors():
        loc = tuple(found["loc"])
        message = _message(found, loc)
        if not loc:  # a model check, naming its keys itself (one line per problem)
            lines += [f"{source}: {line}" for line in message.splitlines()]
        else:
            lines.append(f"{source}: {_key(loc, data)}: {message}")
    return "\n".join(lines)


def _validate(data: Mapping[str, Any], source: str) -> Settings:
    try:
        return Settings.model_validate({**data, "source": source})
    except ValidationError as error:
        raise ConfigError(_format_error(error, source, data)) from None


def _env_overrides(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, value in environ.items():
        if name == "XUNWANG_DB":
            out.setdefault("db", {})["url"] = value
        elif name.startswith("XUNWANG_") and "__" in name:
            section, _, key = name[len("XUNWANG_"):].partition("__")
            out.setdefault(section.lower(), {})[key.lower()] = value
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    """UTF-8 TOML, a byte-order mark allowed; any other encoding is refused in one line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found; pass --config FILE") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(_not_utf8(path, raw, error)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _not_utf8(path: Path, raw: bytes, error: UnicodeDecodeError) -> str:
    line = raw[:error.start].count(b"\n") + 1
    try:
        raw.decode("gbk")
        guess = "it looks like GBK"
    except UnicodeDecodeError:
        guess = "unknown encoding"
    return (f"{path}: line {line}: not UTF-8 ({guess}); save the file as UTF-8 "
            "(e.g. iconv -f GBK -t UTF-8)")


def load_settings(
    path: str | Path | None = None,
    *,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build Settings from a TOML file (optional), the environment, then flag overrides."""
    data: dict[str, Any] = _read_toml(Path(path)) if path else {}
    source = str(path) if path else "<defaults>"
    env = os.environ if environ is None else environ
    for layer in (_env_overrides(env), overrides or {}):
        for section, values in layer.items():
            if isinstance(values, Mapping):
                merged = dict(data.get(section) or {})
                merged.update(values)
                data[section] = merged
            else:
                data[section] = values
    return _validate(data, source)


def default_config_path(environ: Mapping[str, str] | None = None) -> Path | None:
    """``XUNWANG_CONFIG``, else ``./xunwang.toml`` when it exists, else no file."""
    env = os.environ if environ is None else environ
    if env.get("XUNWANG_CONFIG"):
        return Path(env["XUNWANG_CONFIG"])
    local = Path("xunwang.toml")
    return local if local.is_file() else None


def screenshot_dir(settings: Settings) -> Path:
    """Where screenshots are kept: ``screenshots.directory``, else ``shots`` beside the
    SQLite database file, else ``./shots`` (a server database has no folder of its own)."""
    if settings.screenshots.directory:
        return Path(settings.screenshots.directory)
    url = settings.db.url
    if url.startswith("sqlite:///") and ":memory:" not in url:
        database = Path(url[len("sqlite:///"):].split("?", 1)[0])
        return database.parent / "shots"
    return Path("shots")


def sites_from_urls(urls: list[str]) -> list[dict[str, Any]]:
    """Site entries for ``xunwang crawl URL…`` without a config file."""
    sites = []
    for url in urls:
        try:
            _check_http_url(url)
        except ValueError as error:
            raise ConfigError(f"URL {url!r}: {error}") from None
        sites.append({"name": urlsplit(url).netloc, "url": url})
    return sites
