"""offices: legal texts for applicants (privacy notice, Impressum,
accessibility contact and date, how to reach the office)

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-25

Empty texts mean the defaults of webapp/legal.py.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

TEXTS = ("privacy_notice", "imprint", "accessibility_contact", "contact")


def upgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        for name in TEXTS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("accessibility_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        batch.drop_column("accessibility_date")
        for name in reversed(TEXTS):
            batch.drop_column(name)
