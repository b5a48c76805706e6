"""index items by (deadline, id) for the web list's default order

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 11:15:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_items_deadline_id", "items", ["deadline", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_items_deadline_id", table_name="items")
