"""offices, staff, audit log, case file (office side)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "offices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(60), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("letterhead", sa.Text(), nullable=False),
        sa.Column("legal_remedy", sa.Text(), nullable=False),
        sa.Column("target_days", sa.Integer(), nullable=False),
        sa.Column("is_fallback", sa.Boolean(), nullable=False),
        sa.Column("mfa_required", sa.Boolean(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.UniqueConstraint("office_id", "name", name="uq_teams_office_name"),
    )
    op.create_index("ix_teams_office_id", "teams", ["office_id"])
    op.create_table(
        "team_ranges",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), nullable=False),
        sa.Column("first", sa.String(10), nullable=False),
        sa.Column("last", sa.String(10), nullable=False),
    )
    op.create_index("ix_team_ranges_team_id", "team_ranges", ["team_id"])
    op.create_table(
        "postcode_areas",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("first", sa.String(5), nullable=False),
        sa.Column("last", sa.String(5), nullable=False),
    )
    op.create_index("ix_postcode_areas_office_id", "postcode_areas", ["office_id"])
    op.create_index("ix_postcode_areas_first", "postcode_areas", ["first"])
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="SET NULL"), nullable=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("totp_secret", sa.String(64), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", TZ, nullable=True),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_login_at", TZ, nullable=True),
    )
    op.create_index("ix_staff_users_office_id", "staff_users", ["office_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("scopes", sa.String(50), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.Column("last_used_at", TZ, nullable=True),
    )
    op.create_index("ix_api_tokens_office_id", "api_tokens", ["office_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(300), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("reference", sa.String(32), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_office_id", "audit_events", ["office_id", "id"])
    op.create_index("ix_audit_events_reference", "audit_events", ["reference"])
    _append_only("audit_events")

    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id", name="fk_applications_office"), nullable=True))
        batch.add_column(sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", name="fk_applications_team", ondelete="SET NULL"), nullable=True))
        batch.add_column(sa.Column("assignee_id", sa.Integer(), sa.ForeignKey("staff_users.id", name="fk_applications_assignee", ondelete="SET NULL"), nullable=True))
        batch.add_column(sa.Column("lock_version", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("applicant_name", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("search_text", sa.String(400), nullable=False, server_default=""))
        batch.add_column(sa.Column("postcode", sa.String(10), nullable=True))
        batch.add_column(sa.Column("notify_email", sa.String(254), nullable=True))
        batch.add_column(sa.Column("household_size", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("estimate", sa.Numeric(12, 2), nullable=True))
        batch.add_column(sa.Column("confirmed_warnings", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("missing_documents", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("complete", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("request_deadline", sa.Date(), nullable=True))
        batch.add_column(sa.Column("acknowledged_at", TZ, nullable=True))
        batch.add_column(sa.Column("updated_at", TZ, nullable=True))
    op.create_index("ix_applications_office_status_submitted", "applications", ["office_id", "status", "submitted_at"])
    op.create_index("ix_applications_office_team_submitted", "applications", ["office_id", "team_id", "submitted_at"])
    op.create_index("ix_applications_office_submitted", "applications", ["office_id", "submitted_at"])
    op.create_index("ix_applications_assignee", "applications", ["assignee_id", "submitted_at"])
    op.create_index("ix_applications_office_ack", "applications", ["office_id", "acknowledged_at", "id"])

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(300), nullable=False),
        sa.Column("from_status", sa.String(30), nullable=True),
        sa.Column("to_status", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
    )
    op.create_index("ix_case_events_application_id", "case_events", ["application_id"])
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_case_notes_application_id", "case_notes", ["application_id"])
    op.create_table(
        "document_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("answered_at", TZ, nullable=True),
    )
    op.create_index("ix_document_requests_application_id", "document_requests", ["application_id"])
    op.create_index("ix_document_requests_deadline", "document_requests", ["deadline"])
    op.create_index("ix_document_requests_status", "document_requests", ["status"])
    op.create_table(
        "reason_templates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_reason_templates_office_id", "reason_templates", ["office_id"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("monthly_amount", sa.Numeric(12, 2), nullable=True),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("letter", sa.LargeBinary(), nullable=False),
        sa.Column("letter_sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_decisions_application_id", "decisions", ["application_id"])
    op.create_table(
        "mailbox_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.Integer(), sa.ForeignKey("decisions.id", ondelete="CASCADE"), nullable=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("document_requests.id", ondelete="CASCADE"), nullable=True),
        sa.Column("first_opened_at", TZ, nullable=True),
    )
    op.create_index("ix_mailbox_messages_application_id", "mailbox_messages", ["application_id"])

    with op.batch_alter_table("documents") as batch:
        batch.alter_column("draft_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id", name="fk_documents_application", ondelete="CASCADE"), nullable=True))
        batch.add_column(sa.Column("request_id", sa.Integer(), sa.ForeignKey("document_requests.id", name="fk_documents_request", ondelete="SET NULL"), nullable=True))
    op.create_index("ix_documents_application_id", "documents", ["application_id"])


def _append_only(table: str) -> None:
    """Database triggers that refuse UPDATE and DELETE on ``table``."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
    elif dialect == "postgresql":
        op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN RAISE EXCEPTION '{table} is append-only'; END $$")
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")


def downgrade() -> None:
    op.drop_index("ix_documents_application_id", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("request_id")
        batch.drop_column("application_id")
    for table in ("mailbox_messages", "decisions", "reason_templates", "document_requests", "case_notes", "case_events"):
        op.drop_table(table)
    for index in ("ix_applications_office_ack", "ix_applications_assignee", "ix_applications_office_submitted",
                  "ix_applications_office_team_submitted", "ix_applications_office_status_submitted"):
        op.drop_index(index, table_name="applications")
    with op.batch_alter_table("applications") as batch:
        for column in ("updated_at", "acknowledged_at", "request_deadline", "complete", "missing_documents",
                       "confirmed_warnings", "estimate", "household_size", "notify_email", "postcode", "search_text",
                       "applicant_name", "lock_version", "assignee_id", "team_id", "office_id"):
            batch.drop_column(column)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    for table in ("audit_events", "api_tokens", "staff_users", "postcode_areas", "team_ranges", "teams", "offices"):
        op.drop_table(table)
