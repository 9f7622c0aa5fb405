"""form versions

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "form_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("slug", "content_hash", name="uq_form_versions_slug_hash"),
    )
    op.create_index("ix_form_versions_slug", "form_versions", ["slug"])


def downgrade() -> None:
    op.drop_index("ix_form_versions_slug", table_name="form_versions")
    op.drop_table("form_versions")
