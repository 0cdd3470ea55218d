"""counter: walk-in applicants, the tracking register, centres' names, appointment times

Revision ID: 0010_counter
Revises: 0008_channel
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_counter"
down_revision = "0008_channel"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("administrative_units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("centre_name", sa.String(length=255), nullable=True))
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_name", sa.String(length=255), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("applicant_id_number", sa.String(length=30), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("register_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("register_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "register_counters",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["administrative_units.id"]),
        sa.PrimaryKeyConstraint("unit_id", "year"),
    )
    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("forwarded_to_id", sa.Integer(), nullable=True),
        sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"]),
        sa.ForeignKeyConstraint(["forwarded_to_id"], ["administrative_units.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["administrative_units.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_id", "year", "number"),
    )
    with op.batch_alter_table("register_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_register_entries_dossier_id"), ["dossier_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_register_entries_unit_id"), ["unit_id"], unique=False)


def downgrade():
    with op.batch_alter_table("register_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_entries_unit_id"))
        batch_op.drop_index(batch_op.f("ix_register_entries_dossier_id"))
    op.drop_table("register_entries")
    op.drop_table("register_counters")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        for column in ("due_at", "register_year", "register_number", "applicant_id_number",
                       "applicant_name"):
            batch_op.drop_column(column)
    with op.batch_alter_table("administrative_units", schema=None) as batch_op:
        batch_op.drop_column("centre_name")
