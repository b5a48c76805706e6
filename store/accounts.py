"""What runs saw of accounts: the latest mirror read and the posts it showed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AccountRun, Post


def latest_account_run(session: Session, account: str) -> tuple[int, str] | None:
    """(run id, status) of the newest run that read ``account``'s mirror."""
    row = session.execute(
        select(AccountRun.run_id, AccountRun.status).where(AccountRun.account == account)
        .order_by(AccountRun.run_id.desc()).limit(1)).tuples().first()
    return None if row is None else (row[0], row[1])


def post_dates(session: Session, run_id: int, account: str) -> list[datetime]:
    """When each post of ``account`` seen by run ``run_id`` was published (when known)."""
    return [p for p in session.scalars(select(Post.published).where(
        Post.run_id == run_id, Post.account == account)) if p is not None]
