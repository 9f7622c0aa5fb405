"""online appointments: slots, bookings, per-office video link

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25

``booked <= capacity`` is a CHECK constraint as well: the booking code's
conditional UPDATE is what keeps two applicants from taking the last place,
and the database refuses any write that would overbook all the same.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "appointment_settings",
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("video_link", sa.String(500), nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "appointment_slots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="SET NULL"), nullable=True),
        sa.Column("starts_at", TZ, nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("location", sa.String(300), nullable=False, server_default=""),
        sa.Column("series", sa.String(32), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("cancelled_at", TZ, nullable=True),
        sa.CheckConstraint("booked >= 0 AND booked <= capacity", name="ck_appointment_slots_capacity"),
        sa.CheckConstraint("capacity >= 1", name="ck_appointment_slots_capacity_positive"),
        sa.CheckConstraint("channel IN ('vor_ort', 'telefon', 'video')", name="ck_appointment_slots_channel"),
    )
    op.create_index("ix_appointment_slots_office_starts", "appointment_slots", ["office_id", "starts_at"])
    op.create_index("ix_appointment_slots_series", "appointment_slots", ["series"])
    op.create_table(
        "appointment_bookings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(20), nullable=False, unique=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("slot_id", sa.Integer(), sa.ForeignKey("appointment_slots.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("application_reference", sa.String(32), nullable=True),
        sa.Column("concern", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint("status IN ('gebucht', 'storniert', 'abgesagt')", name="ck_appointment_bookings_status"),
    )
    op.create_index("ix_appointment_bookings_slot", "appointment_bookings", ["slot_id", "status"])
    op.create_index("ix_appointment_bookings_office", "appointment_bookings", ["office_id"])


def downgrade() -> None:
    op.drop_index("ix_appointment_bookings_office", table_name="appointment_bookings")
    op.drop_index("ix_appointment_bookings_slot", table_name="appointment_bookings")
    op.drop_table("appointment_bookings")
    op.drop_index("ix_appointment_slots_series", table_name="appointment_slots")
    op.drop_index("ix_appointment_slots_office_starts", table_name="appointment_slots")
    op.drop_table("appointment_slots")
    op.drop_table("appointment_settings")
