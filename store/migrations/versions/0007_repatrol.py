"""pages record the column they continue (a further page of a list)

Revision ID: 0007_repatrol
Revises: 0007_security
Create Date: 2026-12-03 17:15:00.000000

A re-patrol that finds a list page unchanged follows the references it had last time; a
further page of that list must then count against the column's page limit again, so the
page row says which column (its first page) it continues.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_repatrol"
down_revision = "0007_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("column_root", sa.String(length=2048), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("column_root")
