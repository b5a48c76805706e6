"""screenshots of finding pages get a table of their own; pages.screenshot goes

Revision ID: 0007_screenshots
Revises: 0007_console
Create Date: 2026-12-03 17:30:00.000000

A screenshot belongs to a finding (its fingerprint, so its item), not to a page row: one
page may carry several findings, each with its own hit outlined. ``pages.screenshot`` was
never written, so dropping it loses nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_screenshots"
down_revision = "0007_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "screenshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("thumb", sa.String(length=500), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("outlined", sa.Boolean(), nullable=False),
        sa.Column("covered", sa.Integer(), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"],
                                name=op.f("fk_screenshots_run_id_runs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenshots")),
    )
    op.create_index("ix_screenshots_fingerprint_taken", "screenshots",
                    ["fingerprint", "taken_at"])
    op.create_index(op.f("ix_screenshots_run_id"), "screenshots", ["run_id"])
    op.create_index(op.f("ix_screenshots_taken_at"), "screenshots", ["taken_at"])
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("screenshot")


def downgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("screenshot", sa.String(length=500), nullable=False,
                                      server_default=""))
    op.drop_index(op.f("ix_screenshots_taken_at"), table_name="screenshots")
    op.drop_index(op.f("ix_screenshots_run_id"), table_name="screenshots")
    op.drop_index("ix_screenshots_fingerprint_taken", table_name="screenshots")
    op.drop_table("screenshots")
