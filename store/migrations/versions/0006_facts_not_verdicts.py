"""targets and columns keep what the crawler saw; checks judge verdicts and column types

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 14:00:00.000000

A target's verdict follows from its failure class and scope (``checks.links.verdict``), a
column's type from its name and the site's overrides (``checks.freshness.effective``), so
neither is stored: nothing is lost by dropping them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_column("verdict")
    with op.batch_alter_table("columns", schema=None) as batch_op:
        batch_op.drop_column("type")


def downgrade() -> None:
    with op.batch_alter_table("columns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("type", sa.String(length=20), nullable=False,
                                      server_default="must_update"))
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verdict", sa.String(length=20), nullable=False,
                                      server_default="ok"))
