"""items: (unit, state, deadline) replaces (unit, state); add (site, rule, deadline)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 11:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_items_unit_state", table_name="items")
    op.create_index("ix_items_unit_state_deadline", "items", ["unit", "state", "deadline"])
    op.create_index("ix_items_site_rule_deadline", "items", ["site", "rule", "deadline"])


def downgrade() -> None:
    op.drop_index("ix_items_site_rule_deadline", table_name="items")
    op.drop_index("ix_items_unit_state_deadline", table_name="items")
    op.create_index("ix_items_unit_state", "items", ["unit", "state"])
