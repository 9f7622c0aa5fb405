"""the authors' studio: form versions as drafts, published or retired, with
their cases, the four-eyes proposal, and notices for migrated applicant drafts

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)

#: (name, type, server default) of the studio's columns on form_versions
COLUMNS = (
    ("status", sa.String(20), "published"),  # draft | published | retired (rows before the studio were published)
    ("number", sa.Integer(), None),  # 1, 2, 3 … per form
    ("cases", sa.Text(), None),  # JSON {name: case}
    ("source_text", sa.Text(), None),  # the JSON text as the author wrote it
    ("created_by", sa.Integer(), None),  # staff id (no FK: history outlives accounts)
    ("created_at", TZ, None),
    ("updated_at", TZ, None),
    ("based_on_id", sa.Integer(), None),
    ("proposed_by", sa.Integer(), None),
    ("proposed_at", TZ, None),
    ("approved_by", sa.Integer(), None),
    ("retired_at", TZ, None),
)


def upgrade() -> None:
    with op.batch_alter_table("form_versions") as batch:
        for name, type_, default in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=default is None, server_default=default))
    op.create_index("ix_form_versions_slug_status", "form_versions", ["slug", "status"])
    op.create_table(
        "studio_draft_notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("from_version_id", sa.Integer(), nullable=False),
        sa.Column("to_version_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),  # JSON: sentences of what changed
        sa.Column("lost", sa.Text(), nullable=False),  # JSON: labels of answers that no longer apply
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("shown_at", TZ, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("studio_draft_notices")
    op.drop_index("ix_form_versions_slug_status", table_name="form_versions")
    with op.batch_alter_table("form_versions") as batch:
        for name, _, _ in reversed(COLUMNS):
            batch.drop_column(name)
