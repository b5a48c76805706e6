"""Issue 14 config: a missing lexicon file stops the patrol before anything is crawled."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.errors import CheckError
from core.settings import load_settings
from scheduler.patrol import run_patrol
from store.models import Run
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import free_port


def test_missing_lexicon_is_reported_before_the_crawl(sqlite_url: str) -> None:
    settings = load_settings(None, environ={}, overrides={
        "db": {"url": sqlite_url},
        "sites": [{"name": "区政府", "url": f"http://127.0.0.1:{free_port()}/"}],
        "checks": {"lexicons": ["/nonexistent/our-terms.tsv"]}})
    with pytest.raises(CheckError, match="our-terms.tsv: lexicon file not found"):
        run_patrol(settings, as_of=date(2026, 11, 27))
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Run)) == 0
    engine.dispose()
