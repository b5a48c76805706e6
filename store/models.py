"""SQLAlchemy 2.x models: what a patrol stored, what the rules found, what people did."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship
from sqlalchemy.sql import false

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

URL = String(2048)
NAME = String(200)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Run(Base):
    """One patrol (or crawl) run."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="patrol")
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # running | complete | partial | failed | interrupted (its process died; see store.runs)
    status: Mapped[str] = mapped_column(String(20), default="running")
    reason: Mapped[str] = mapped_column(Text, default="")
    targets: Mapped[list[Any]] = mapped_column(JSON, default=list)  # site/account names
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Who runs it: the patrol process, and when it last said it was alive.
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    host: Mapped[str | None] = mapped_column(String(255), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Body(Base):
    """What a page's content gave (text, dates, footer, security facts, tables), stored once
    per distinct content: pages of many runs that saw the same content share one row."""

    __tablename__ = "bodies"
    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of the fields (store.bodies.digest); NULL once retention cleared the text, so
    # that a page seen again with that content gets a full row of its own
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    published: Mapped[date | None] = mapped_column(Date, nullable=True)
    dates: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # source -> iso date
    footer: Mapped[str] = mapped_column(Text, default="")
    # hidden elements and links, external scripts, meta text (crawler.extract.security)
    security: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # grids of an annual-report page or attachment (crawler.extract.tables)
    tables: Mapped[list[Any]] = mapped_column(JSON, default=list)


def _body(column: Any, body_id: Any) -> Any:
    """A field of the page's body, read like a column of the page (a correlated lookup)."""
    return column_property(select(column).where(Body.id == body_id).correlate_except(Body)
                           .scalar_subquery())


class Page(Base):
    """A fetched in-scope URL of one run: an HTML page or an attachment. What its content
    gave is in its body (``bodies``), shared by the runs that saw the same content."""

    __tablename__ = "pages"
    __table_args__ = (
        UniqueConstraint("run_id", "url"),
        Index("ix_pages_site_url", "site", "url"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(NAME)
    url: Mapped[str] = mapped_column(URL)
    final_url: Mapped[str] = mapped_column(URL, default="")
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="page")  # page | attachment
    content_type: Mapped[str] = mapped_column(String(200), default="")
    encoding: Mapped[str] = mapped_column(String(40), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    etag: Mapped[str] = mapped_column(String(300), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    rendered: Mapped[bool] = mapped_column(Boolean, default=False)
    unchanged: Mapped[bool] = mapped_column(Boolean, default=False)
    is_homepage: Mapped[bool] = mapped_column(Boolean, default=False)
    redirects: Mapped[list[Any]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")  # why text was skipped, etc.
    # a further page of a list: the list's first page (re-patrols count it against the column)
    column_root: Mapped[str | None] = mapped_column(URL, nullable=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), nullable=True,
                                                index=True)
    body: Mapped[Body | None] = relationship()
    # read-only: written through store.bodies
    title: Mapped[str | None] = _body(Body.title, body_id)
    text: Mapped[str | None] = _body(Body.text, body_id)
    published: Mapped[date | None] = _body(Body.published, body_id)
    dates: Mapped[dict[str, Any] | None] = _body(Body.dates, body_id)
    footer: Mapped[str | None] = _body(Body.footer, body_id)
    security: Mapped[dict[str, Any] | None] = _body(Body.security, body_id)
    tables: Mapped[list[Any] | None] = _body(Body.tables, body_id)


class Screenshot(Base):
    """A screenshot of a finding's page (``crawler.camera``): a file under the screenshot
    folder, found by the finding's fingerprint (so by its item too)."""

    __tablename__ = "screenshots"
    __table_args__ = (Index("ix_screenshots_fingerprint_taken", "fingerprint", "taken_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(60))
    url: Mapped[str] = mapped_column(URL)
    path: Mapped[str] = mapped_column(String(500))  # relative to the screenshot folder
    thumb: Mapped[str] = mapped_column(String(500), default="")  # a small JPEG, same folder
    taken_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    outlined: Mapped[bool] = mapped_column(Boolean, default=False)  # the hit was found, boxed
    covered: Mapped[int] = mapped_column(Integer, default=0)  # numbers hidden under a box
    # Where the marks are, in image pixels: {"outline": [x, y, w, h] | None, "boxes": [...]}.
    marks: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Target(Base):
    """A referenced URL checked once in a run: what happened (``checks.links.verdict`` judges)."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("run_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(NAME)
    url: Mapped[str] = mapped_column(URL)
    in_scope: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    failure: Mapped[str | None] = mapped_column(String(40), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    redirects: Mapped[list[Any]] = mapped_column(JSON, default=list)
    checked_at: Mapped[datetime] = mapped_column(DateTime)
    # an outbound page's title, meta and text start (capped), for checks.security
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LinkSet(Base):
    """The references of a page, as one record: a JSON list of [target, tag, anchor] in
    document order (store.bodies), stored once per distinct list."""

    __tablename__ = "link_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    links: Mapped[str] = mapped_column(Text)


class PageLinks(Base):
    """Which link list a source page of a run had: one row per page, not per link."""

    __tablename__ = "page_links"
    # a site's page, or an account's post (two accounts may show the same post)
    __table_args__ = (UniqueConstraint("run_id", "site", "source"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    site: Mapped[str] = mapped_column(NAME)
    source: Mapped[str] = mapped_column(URL)
    set_id: Mapped[int] = mapped_column(ForeignKey("link_sets.id"), index=True)


class ColumnPage(Base):
    """A column (栏目): a list page of dated entries, possibly paginated."""

    __tablename__ = "columns"
    __table_args__ = (UniqueConstraint("run_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(NAME)
    url: Mapped[str] = mapped_column(URL)
    name: Mapped[str] = mapped_column(Text)
    blank: Mapped[bool] = mapped_column(Boolean, default=False)
    placeholder: Mapped[str] = mapped_column(Text, default="")
    top_level: Mapped[bool] = mapped_column(Boolean, default=True)
    newest: Mapped[date | None] = mapped_column(Date, nullable=True)
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    rendered: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[str] = mapped_column(String(20), default="", server_default="")  # "" | repost


class ColumnEntry(Base):
    """A dated entry of a column, or of the homepage (column_id NULL, home True)."""

    __tablename__ = "entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(NAME)
    column_id: Mapped[int | None] = mapped_column(
        ForeignKey("columns.id", ondelete="CASCADE"), nullable=True, index=True
    )
    home: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(URL)
    published: Mapped[date | None] = mapped_column(Date, nullable=True)


class Letter(Base):
    """A letter (留言/来信) to a leader's mailbox, with asked and replied dates."""

    __tablename__ = "letters"
    __table_args__ = (UniqueConstraint("run_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(NAME)
    url: Mapped[str] = mapped_column(URL)
    source: Mapped[str] = mapped_column(URL, default="")  # the page it was found on
    title: Mapped[str] = mapped_column(Text, default="")
    asked: Mapped[date | None] = mapped_column(Date, nullable=True)
    replied: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(40), default="")


class AccountRun(Base):
    """What one run saw of one account's mirror."""

    __tablename__ = "account_runs"
    __table_args__ = (UniqueConstraint("run_id", "account"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    account: Mapped[str] = mapped_column(NAME)
    platform: Mapped[str] = mapped_column(String(20))
    url: Mapped[str] = mapped_column(URL)
    status: Mapped[str] = mapped_column(String(20))  # ok | unreachable | malformed | empty
    error: Mapped[str] = mapped_column(Text, default="")
    fetched_at: Mapped[datetime] = mapped_column(DateTime)


class Post(Base):
    """A post of an account, as its mirror shows it."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("run_id", "account", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    account: Mapped[str] = mapped_column(NAME)
    url: Mapped[str] = mapped_column(URL)
    title: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[list[Any]] = mapped_column(JSON, default=list)


class ProbeResult(Base):
    """One availability probe of a homepage or key column."""

    __tablename__ = "probes"
    __table_args__ = (Index("ix_probes_site_at", "site", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(NAME)
    url: Mapped[str] = mapped_column(URL)
    at: Mapped[datetime] = mapped_column(DateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    failure: Mapped[str | None] = mapped_column(String(40), nullable=True)
    elapsed_ms: Mapped[int] = mapped_column(Integer, default=0)


class Visit(Base):
    """A homepage or key column fetched as one kind of visitor: where it landed."""

    __tablename__ = "visits"
    __table_args__ = (UniqueConstraint("run_id", "url", "visitor"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    site: Mapped[str] = mapped_column(NAME)
    url: Mapped[str] = mapped_column(URL)
    visitor: Mapped[str] = mapped_column(String(20))  # plain | spider | search | mobile
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    failure: Mapped[str | None] = mapped_column(String(40), nullable=True)
    hops: Mapped[list[Any]] = mapped_column(JSON, default=list)  # Location headers followed
    refresh: Mapped[str] = mapped_column(URL, default="")  # meta refresh target
    scripts: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [target, condition]
    at: Mapped[datetime] = mapped_column(DateTime)


class Certificate(Base):
    """The TLS certificate an HTTPS homepage served to a probe."""

    __tablename__ = "certificates"
    __table_args__ = (Index("ix_certificates_site_at", "site", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(NAME)
    url: Mapped[str] = mapped_column(URL)
    at: Mapped[datetime] = mapped_column(DateTime)
    host: Mapped[str] = mapped_column(String(255), default="")
    not_after: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    issuer: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    names: Mapped[list[Any]] = mapped_column(JSON, default=list)
    host_ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ScriptHost(Base):
    """An external script or frame host a site's pages loaded, and the run that first saw it."""

    __tablename__ = "script_hosts"
    __table_args__ = (UniqueConstraint("site", "host"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site: Mapped[str] = mapped_column(NAME)
    host: Mapped[str] = mapped_column(String(255))
    first_run_id: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[date] = mapped_column(Date)


class FindingRow(Base):
    """A finding of one run, as in the findings JSON."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_run_rule", "run_id", "rule"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(60))
    severity: Mapped[str] = mapped_column(String(10))
    site: Mapped[str | None] = mapped_column(NAME, nullable=True)
    account: Mapped[str | None] = mapped_column(NAME, nullable=True)
    url: Mapped[str] = mapped_column(URL)
    target: Mapped[str | None] = mapped_column(URL, nullable=True)
    column: Mapped[str | None] = mapped_column(Text, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    suggestion: Mapped[str | None] = mapped_column(Text, nullable=True)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)


class Item(Base):
    """A rectification item: one problem across patrols, with owner, deadline and state."""

    __tablename__ = "items"
    __table_args__ = (
        Index("ix_items_state_deadline", "state", "deadline"),
        # The web list: a unit's items, its default order (deadline, NULLs last, then id),
        # and site + rule filters are answered from these indexes (bench/item_list.py).
        Index("ix_items_unit_state_deadline", "unit", "state", "deadline"),
        Index("ix_items_deadline_id", "deadline", "id"),
        Index("ix_items_site_rule_deadline", "site", "rule", "deadline"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    rule: Mapped[str] = mapped_column(String(60), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    site: Mapped[str | None] = mapped_column(NAME, nullable=True, index=True)
    account: Mapped[str | None] = mapped_column(NAME, nullable=True)
    url: Mapped[str] = mapped_column(URL)
    target: Mapped[str | None] = mapped_column(URL, nullable=True)
    column: Mapped[str | None] = mapped_column(Text, nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    suggestion: Mapped[str | None] = mapped_column(Text, nullable=True)
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # to_confirm | open | fixed_pending | closed | sent_back | dismissed
    state: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(NAME, default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    first_seen: Mapped[date] = mapped_column(Date)
    last_seen: Mapped[date] = mapped_column(Date)
    first_run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    regressions: Mapped[int] = mapped_column(Integer, default=0)
    fix_note: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ItemEvent(Base):
    """The audit trail: every change of an item, who, when, from/to, note."""

    __tablename__ = "item_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(NAME)  # a username, or "patrol"
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str] = mapped_column(String(20), default="")
    to_state: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AllowRule(Base):
    """A dismissal that the checks honour: this item, this term on this site, everywhere."""

    __tablename__ = "allow_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))  # item | site | global
    rule: Mapped[str] = mapped_column(String(60))
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    site: Mapped[str | None] = mapped_column(NAME, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(NAME, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(NAME, unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # admin | unit
    unit: Mapped[str] = mapped_column(NAME, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ApiToken(Base):
    """A named API token for ``POST /api/check``; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Digest(Base):
    """A digest mail: recorded before sending so a failed send is retried, never doubled."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))  # e.g. "2026-11-27:unit:财政局"
    recipient: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(NAME, default="")
    as_of: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)  # the full RFC 5322 message
    # pending | sending | sent | failed | uncertain | superseded (see store.digests)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    delivered_to: Mapped[str] = mapped_column(String(500), default="")  # smtp | outbox path
    message_id: Mapped[str] = mapped_column(String(300), default="")  # the Message-ID header
    # Who is sending it (status "sending"): a row whose process died mid-send is uncertain.
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    claimed_pid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    claimed_host: Mapped[str | None] = mapped_column(String(255), nullable=True)


class RevokedSession(Base):
    """A web session ended by logout: its cookie is refused until it would expire anyway."""

    __tablename__ = "revoked_sessions"
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class LoginAddress(Base):
    """An address a user logged in from: its usual addresses pass a lock-out of the name."""

    __tablename__ = "login_addresses"
    __table_args__ = (UniqueConstraint("username", "address"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(NAME)
    address: Mapped[str] = mapped_column(String(64))
    last_at: Mapped[datetime] = mapped_column(DateTime)
    logins: Mapped[int] = mapped_column(Integer, default=1)


class JobRun(Base):
    """A scheduler job's execution, for ``xunwang status`` and the office digest."""

    __tablename__ = "job_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    detail: Mapped[str] = mapped_column(Text, default="")
    duration_s: Mapped[float | None] = mapped_column(Float, nullable=True)
