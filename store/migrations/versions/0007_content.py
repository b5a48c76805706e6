"""content obligations: the tables of annual-report pages, and repost-source columns

Revision ID: 0007_content
Revises: 0007_hardening
Create Date: 2026-12-03 17:30:00.000000

``pages.tables`` keeps the grids (merged cells expanded) of pages and attachments that look
like an annual report, for ``annual-report-inconsistent``; ``columns.role`` marks the lists
of the levels above a site reposts from (``repost``), which are not the site's own columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_content"
down_revision = "0007_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tables", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("columns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), nullable=False,
                                      server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("columns", schema=None) as batch_op:
        batch_op.drop_column("role")
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("tables")
