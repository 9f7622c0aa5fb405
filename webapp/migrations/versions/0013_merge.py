"""merge the branches of this session's parts into one head

Revision ID: 0013
Revises: 0004a, 0005, 0010, 0011, 0012
Create Date: 2026-11-25

The applicant's safeguards (0004), the studio (0005), the inbox and the
appointments (0008-0010), the legal texts (0011) and the second factor's
replay guard (0012) were written side by side from 0002/0003; from here the
history is one line again.
"""

revision = "0013"
down_revision = ("0004a", "0005", "0010", "0011", "0012")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
