"""Content-addressed rows: what a page's content gave, and the links it had.

A page row of a run keeps only what its fetch was (status, validators, times) and the id of
its body; the body (text, dates, footer, security facts, tables) is stored once per
distinct content. A page's references are one JSON list per distinct list (``link_sets``),
and a run records one row per source page (``page_links``). A page found unchanged in a
later run thus costs a small page row and a small link row, not a copy of its text and
of a row per link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Insert, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store.models import Base, Body, LinkSet, PageLinks

BODY_FIELDS = ("title", "text", "published", "dates", "footer", "security", "tables")
CHUNK = 500

Link = tuple[str, str, str]  # (target, tag, anchor)


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_plain)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def body_digest(body: dict[str, Any]) -> str:
    """sha256 of a body's fields: the same content gives the same row."""
    return hashlib.sha256(_canonical([body.get(k) for k in BODY_FIELDS]).encode()).hexdigest()


def _ignoring_duplicates(model: type[Base], dialect: str) -> Insert:
    if dialect == "postgresql":
        return pg_insert(model).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite_insert(model).on_conflict_do_nothing()
    return insert(model)


def _ids(conn: Connection, model: Any, rows: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Store the rows (digest -> row) not stored yet; the id of each digest."""
    ids: dict[str, int] = {}
    digests = list(rows)
    for start in range(0, len(digests), CHUNK):
        chunk = digests[start:start + CHUNK]
        ids.update(conn.execute(select(model.digest, model.id).where(
            model.digest.in_(chunk))).tuples().all())
    missing = [rows[d] for d in digests if d not in ids]
    if missing:
        conn.execute(_ignoring_duplicates(model, conn.dialect.name), missing)
        for start in range(0, len(missing), CHUNK):
            chunk = [row["digest"] for row in missing[start:start + CHUNK]]
            ids.update(conn.execute(select(model.digest, model.id).where(
                model.digest.in_(chunk))).tuples().all())
    return ids


def with_bodies(conn: Connection, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Page rows carrying their body fields, as page rows with a ``body_id``."""
    bodies: dict[str, dict[str, Any]] = {}
    split: list[tuple[dict[str, Any], str]] = []
    for row in rows:
        page = dict(row)
        body = {k: page.pop(k, None) for k in BODY_FIELDS}
        body["title"] = body["title"] or ""
        body["footer"] = body["footer"] or ""
        body["dates"] = body["dates"] or {}
        body["security"] = body["security"] or {}
        body["tables"] = json.loads(_canonical(body["tables"] or []))
        digest = body_digest(body)
        bodies.setdefault(digest, {**body, "digest": digest})
        split.append((page, digest))
    ids = _ids(conn, Body, bodies)
    return [{**page, "body_id": ids[digest]} for page, digest in split]


def encode_links(links: Iterable[Sequence[str]]) -> str:
    return json.dumps([list(link) for link in links], ensure_ascii=False,
                      separators=(",", ":"))


def decode_links(text: str) -> list[Link]:
    return [(str(t), str(g), str(a)) for t, g, a in json.loads(text)]


def store_links(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows of (run_id, site, source, links): each list once, one row per source."""
    sets: dict[str, dict[str, Any]] = {}
    refs: list[tuple[dict[str, Any], str]] = []
    for row in rows:
        text = encode_links(row["links"])
        digest = hashlib.sha256(text.encode()).hexdigest()
        sets.setdefault(digest, {"digest": digest, "links": text})
        refs.append(({k: row[k] for k in ("run_id", "site", "source")}, digest))
    ids = _ids(conn, LinkSet, sets)
    conn.execute(_ignoring_duplicates(PageLinks, conn.dialect.name),
                 [{**ref, "set_id": ids[digest]} for ref, digest in refs])


def link_lists(conn: Connection, run_id: int, site: str | None = None,
               sources: Sequence[str] | None = None) -> Iterator[tuple[str, str, list[Link]]]:
    """(site, source, links) of the pages of run ``run_id`` (of ``site``; of ``sources``),
    in source order."""
    query = (select(PageLinks.site, PageLinks.source, LinkSet.links)
             .join(LinkSet, LinkSet.id == PageLinks.set_id).where(PageLinks.run_id == run_id))
    if site is not None:
        query = query.where(PageLinks.site == site)
    if sources is None:
        for row_site, source, text in conn.execute(query.order_by(PageLinks.source)):
            yield row_site, source, decode_links(text)
        return
    wanted = sorted(set(sources))
    for start in range(0, len(wanted), CHUNK):
        for row_site, source, text in conn.execute(
                query.where(PageLinks.source.in_(wanted[start:start + CHUNK]))
                .order_by(PageLinks.source)):
            yield row_site, source, decode_links(text)
