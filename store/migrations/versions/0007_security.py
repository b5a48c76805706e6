"""security facts: hidden elements and scripts of pages, outbound page content, visits as
other visitors, certificates, the baseline of external script hosts

Revision ID: 0007_security
Revises: 0007_screenshots
Create Date: 2026-12-03 17:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_security"
down_revision = "0007_screenshots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("security", sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content", sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("visitor", sa.String(length=20), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("failure", sa.String(length=40), nullable=True),
        sa.Column("hops", sa.JSON(), nullable=False),
        sa.Column("refresh", sa.String(length=2048), nullable=False),
        sa.Column("scripts", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_visits_run_id_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
        sa.UniqueConstraint("run_id", "url", "visitor", name=op.f("uq_visits_run_id")),
    )
    op.create_index(op.f("ix_visits_run_id"), "visits", ["run_id"], unique=False)
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("not_after", sa.DateTime(), nullable=True),
        sa.Column("issuer", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("host_ok", sa.Boolean(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
    )
    op.create_index("ix_certificates_site_at", "certificates", ["site", "at"], unique=False)
    op.create_table(
        "script_hosts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("first_run_id", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_script_hosts")),
        sa.UniqueConstraint("site", "host", name=op.f("uq_script_hosts_site")),
    )


def downgrade() -> None:
    op.drop_table("script_hosts")
    op.drop_index("ix_certificates_site_at", table_name="certificates")
    op.drop_table("certificates")
    op.drop_index(op.f("ix_visits_run_id"), table_name="visits")
    op.drop_table("visits")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_column("content")
    with op.batch_alter_table("pages", schema=None) as batch_op:
        batch_op.drop_column("security")
