"""page bodies and link lists stored once per content; one link row per page

Revision ID: 0008_storage
Revises: 0007_repatrol
Create Date: 2026-12-04 19:15:00.000000

A re-patrol of an unchanged site copied every page row with its text and ~24 link rows a
page (with three indexes): ~215 MB per patrol of a 20k-page site. What a page's content
gave (title, text, dates, footer, security facts, tables) moves to ``bodies``, one row
per distinct content, and pages refer to it; a page's links become one JSON list per
distinct list (``link_sets``) and one ``page_links`` row per source page and run. The
existing rows are converted (digests as ``store.bodies`` computes them at this revision).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008_storage"
down_revision = "0007_repatrol"
branch_labels = None
depends_on = None

BODY_FIELDS = ("title", "text", "published", "dates", "footer", "security", "tables")
BATCH = 1000

pages = sa.table(
    "pages", sa.column("id", sa.Integer), sa.column("body_id", sa.Integer),
    sa.column("title", sa.Text), sa.column("text", sa.Text), sa.column("published", sa.Date),
    sa.column("dates", sa.JSON), sa.column("footer", sa.Text), sa.column("security", sa.JSON),
    sa.column("tables", sa.JSON))
bodies = sa.table(
    "bodies", sa.column("id", sa.Integer), sa.column("digest", sa.String),
    sa.column("title", sa.Text), sa.column("text", sa.Text), sa.column("published", sa.Date),
    sa.column("dates", sa.JSON), sa.column("footer", sa.Text), sa.column("security", sa.JSON),
    sa.column("tables", sa.JSON))
links = sa.table(
    "links", sa.column("id", sa.Integer), sa.column("run_id", sa.Integer),
    sa.column("site", sa.String), sa.column("source", sa.String), sa.column("target", sa.String),
    sa.column("tag", sa.String), sa.column("anchor", sa.Text))
link_sets = sa.table("link_sets", sa.column("id", sa.Integer), sa.column("digest", sa.String),
                     sa.column("links", sa.Text))
page_links = sa.table(
    "page_links", sa.column("id", sa.Integer), sa.column("run_id", sa.Integer), sa.column("site", sa.String),
    sa.column("source", sa.String), sa.column("set_id", sa.Integer))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def _digest(values: list[Any]) -> str:
    text = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _create_tables() -> None:
    op.create_table(
        "bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("dates", sa.JSON(), nullable=False),
        sa.Column("footer", sa.Text(), nullable=False),
        sa.Column("security", sa.JSON(), nullable=False),
        sa.Column("tables", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bodies")),
        sa.UniqueConstraint("digest", name=op.f("uq_bodies_digest")),
    )
    op.create_table(
        "link_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_sets")),
        sa.UniqueConstraint("digest", name=op.f("uq_link_sets_digest")),
    )
    op.create_table(
        "page_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=2048), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_page_links_run_id_runs"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["set_id"], ["link_sets.id"],
                                name=op.f("fk_page_links_set_id_link_sets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_links")),
        sa.UniqueConstraint("run_id", "site", "source", name=op.f("uq_page_links_run_id")),
    )
    op.create_index(op.f("ix_page_links_set_id"), "page_links", ["set_id"], unique=False)


def _batches(conn: sa.Connection, query: sa.Select[Any],
             key: Any) -> Iterator[list[sa.Row[Any]]]:
    """The rows of ``query`` in batches of ascending ``key`` (unique): no cursor stays open
    while the batch is written."""
    last: Any = None
    while True:
        page = query if last is None else query.where(key > last)
        rows = list(conn.execute(page.order_by(key).limit(BATCH)))
        if not rows:
            return
        last = rows[-1].id
        yield rows


def _ids(conn: sa.Connection, table: Any, rows: list[dict[str, Any]],
         known: dict[str, int]) -> None:
    """Insert the rows whose digest is not known yet; learn the ids of all of them."""
    fresh = {row["digest"]: row for row in rows if row["digest"] not in known}
    if not fresh:
        return
    conn.execute(table.insert(), list(fresh.values()))
    known.update(conn.execute(sa.select(table.c.digest, table.c.id).where(
        table.c.digest.in_(list(fresh)))).tuples().all())


def _move_bodies(conn: sa.Connection) -> None:
    known: dict[str, int] = {}
    query = sa.select(pages.c.id, *[pages.c[k] for k in BODY_FIELDS])
    for rows in _batches(conn, query, pages.c.id):
        found = []
        for row in rows:
            body = {"title": row.title or "", "text": row.text, "published": row.published,
                    "dates": row.dates or {}, "footer": row.footer or "",
                    "security": row.security or {}, "tables": row.tables or []}
            body["digest"] = _digest([body[k] for k in BODY_FIELDS])
            found.append((row.id, body))
        _ids(conn, bodies, [body for _id, body in found], known)
        conn.execute(pages.update().where(pages.c.id == sa.bindparam("page_id"))
                     .values(body_id=sa.bindparam("body")),
                     [{"page_id": page_id, "body": known[body["digest"]]}
                      for page_id, body in found])


def _move_links(conn: sa.Connection) -> None:
    """Each run's links grouped by source page (in the order they were stored)."""
    known: dict[str, int] = {}
    run_ids = list(conn.scalars(sa.select(links.c.run_id).distinct().order_by(links.c.run_id)))
    for run_id in run_ids:
        grouped: dict[tuple[str, str], list[list[str]]] = {}
        for rows in _batches(conn, sa.select(links.c.id, links.c.site, links.c.source,
                                             links.c.target, links.c.tag, links.c.anchor)
                             .where(links.c.run_id == run_id), links.c.id):
            for row in rows:
                grouped.setdefault((row.site, row.source), []).append(
                    [row.target, row.tag, row.anchor or ""])
        refs = []
        for (site, source), found in grouped.items():
            text = json.dumps(found, ensure_ascii=False, separators=(",", ":"))
            refs.append((site, source, text, hashlib.sha256(text.encode()).hexdigest()))
        for start in range(0, len(refs), BATCH):
            chunk = refs[start:start + BATCH]
            _ids(conn, link_sets, [{"digest": d, "links": t} for _s, _u, t, d in chunk], known)
            conn.execute(page_links.insert(), [
                {"run_id": run_id, "site": site, "source": source, "set_id": known[digest]}
                for site, source, _text, digest in chunk])


def upgrade() -> None:
    _create_tables()
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_pages_body_id"), ["body_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_pages_body_id_bodies"), "bodies",
                                    ["body_id"], ["id"])
    conn = op.get_bind()
    _move_bodies(conn)
    _move_links(conn)
    with op.batch_alter_table("pages", schema=None) as batch_op:
        for name in BODY_FIELDS:
            batch_op.drop_column(name)
    op.drop_table("links")  # with its indexes


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("published", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("dates", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("footer", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("security", sa.JSON(), nullable=False,
                                      server_default="{}"))
        batch_op.add_column(sa.Column("tables", sa.JSON(), nullable=False, server_default="[]"))
    conn = op.get_bind()
    for field in BODY_FIELDS:
        conn.execute(pages.update().values({field: sa.select(bodies.c[field]).where(
            bodies.c.id == pages.c.body_id).scalar_subquery()}).where(
            pages.c.body_id.is_not(None)))
    op.create_table(
        "links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=2048), nullable=False),
        sa.Column("target", sa.String(length=2048), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("anchor", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_links_run_id_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_links")),
    )
    op.create_index(op.f("ix_links_run_id"), "links", ["run_id"], unique=False)
    op.create_index("ix_links_run_source", "links", ["run_id", "source"], unique=False)
    op.create_index("ix_links_run_target", "links", ["run_id", "target"], unique=False)
    query = sa.select(page_links.c.id, page_links.c.run_id, page_links.c.site,
                      page_links.c.source, link_sets.c.links).join(
        link_sets, link_sets.c.id == page_links.c.set_id)
    for rows in _batches(conn, query, page_links.c.id):
        out = [{"run_id": r.run_id, "site": r.site, "source": r.source, "target": t,
                "tag": g, "anchor": a} for r in rows for t, g, a in json.loads(r.links)]
        if out:
            conn.execute(links.insert(), out)
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_pages_body_id_bodies"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_pages_body_id"))
        batch_op.drop_column("body_id")
    op.drop_index(op.f("ix_page_links_set_id"), table_name="page_links")
    op.drop_table("page_links")
    op.drop_table("link_sets")
    op.drop_table("bodies")
