"""digest send states, revoked web sessions, the addresses users log in from

Revision ID: 0007_hardening
Revises: 0006
Create Date: 2026-12-03 17:20:00.000000

``digests`` gains the Message-ID and who claimed the send (a send whose process died is
``uncertain``, never resent blindly); ``revoked_sessions`` makes logout end a session on
the server; ``login_addresses`` remembers where each user logs in from, so a lock-out of a
user name does not stop the right password from the user's usual address.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_hardening"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=300), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("claimed_pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("claimed_host", sa.String(length=255), nullable=True))
    op.create_table(
        "revoked_sessions",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_revoked_sessions")),
    )
    with op.batch_alter_table("revoked_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revoked_sessions_expires_at"), ["expires_at"],
                              unique=False)
    op.create_table(
        "login_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("logins", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_addresses")),
        sa.UniqueConstraint("username", "address", name=op.f("uq_login_addresses_username")),
    )


def downgrade() -> None:
    op.drop_table("login_addresses")
    with op.batch_alter_table("revoked_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revoked_sessions_expires_at"))
    op.drop_table("revoked_sessions")
    with op.batch_alter_table("digests", schema=None) as batch_op:
        batch_op.drop_column("claimed_host")
        batch_op.drop_column("claimed_pid")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("message_id")
