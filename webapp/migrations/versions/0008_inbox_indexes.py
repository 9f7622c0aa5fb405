"""indexes for the inbox's sort orders and flags

Revision ID: 0008
Revises: 0003
Create Date: 2026-11-25

Migration 0003 indexes the inbox by received date (per office, status and
team). These serve the other orders and the overdue flag, so that a first
page stays a short index scan with 100,000 applications:
"complete ones first", "highest estimate first" (NULLs last: SQLite sorts
NULL lowest, PostgreSQL needs it spelled out) and overdue requests.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_applications_office_complete_submitted", "applications",
                    ["office_id", "complete", "submitted_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_applications_office_estimate", "applications",
                        ["office_id", sa.text("estimate DESC NULLS LAST"), sa.text("id DESC")])
    else:
        op.create_index("ix_applications_office_estimate", "applications", ["office_id", "estimate", "id"])
    op.create_index("ix_applications_office_deadline", "applications", ["office_id", "request_deadline"])


def downgrade() -> None:
    for name in ("ix_applications_office_deadline", "ix_applications_office_estimate",
                 "ix_applications_office_complete_submitted"):
        op.drop_index(name, table_name="applications")
