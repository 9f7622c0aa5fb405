"""words of applicants' names, for a fast inbox search

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25

Backfills the words of every existing application's name.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "application_words",
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("word", sa.String(60), primary_key=True),
    )
    op.create_index("ix_application_words_word", "application_words", ["word", "application_id"])
    from webapp.office.search import words

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, applicant_name FROM applications")).all()
    values = [{"application_id": app_id, "word": word} for app_id, name in rows for word in words(name or "")]
    if values:
        op.bulk_insert(table, values)


def downgrade() -> None:
    op.drop_index("ix_application_words_word", table_name="application_words")
    op.drop_table("application_words")
