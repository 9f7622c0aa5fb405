"""server-side sessions, shared rate-limit counters, draft revisions

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),  # SHA-256 of the cookie's random id
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])
    op.create_table(
        "rate_limit_counters",
        sa.Column("bucket", sa.String(64), primary_key=True),  # HMAC of scope, client and window
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_ends", TZ, nullable=False),
    )
    op.create_index("ix_rate_limit_counters_window_ends", "rate_limit_counters", ["window_ends"])
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_drafts_expires_at", "drafts", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_drafts_expires_at", table_name="drafts")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("revision")
    op.drop_index("ix_rate_limit_counters_window_ends", table_name="rate_limit_counters")
    op.drop_table("rate_limit_counters")
    op.drop_index("ix_web_sessions_expires_at", table_name="web_sessions")
    op.drop_table("web_sessions")
