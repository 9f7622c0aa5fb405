"""mailbox messages keep the office's wording as a text key with its values

Revision ID: 0015
Revises: 0013
Create Date: 2026-11-25

A decision's covering note and a document request are shown in the
reader's language (webapp/office/messages.py); ``subject`` and ``body``
keep the German as delivered, and older messages (no key) show them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mailbox_messages") as batch:
        batch.add_column(sa.Column("text_key", sa.String(60), nullable=True))
        batch.add_column(sa.Column("text_values", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mailbox_messages") as batch:
        batch.drop_column("text_values")
        batch.drop_column("text_key")
