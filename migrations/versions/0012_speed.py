"""speed: the indexes of the queue's and the lists' plans (docs/performance.md)

Revision ID: 0012_speed
Revises: 0008_channel
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_speed"
down_revision = "0009_transparency"
branch_labels = None
depends_on = None

DUE_ORDER = sa.text("coalesce(due_date, '9999-12-31')")
FILED = sa.text("status != 'draft'")


def upgrade():
    # Bumped whenever a role or a permission pair changes: workers reload their cache.
    op.create_table("permission_revisions",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("revision", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("id", name=op.f("pk_permission_revisions")))
    op.execute("INSERT INTO permission_revisions (id, revision) VALUES (1, 1)")
    # (unit_id, id) and (applicant_id, id) serve everything the one-column indexes did.
    op.drop_index("ix_dossiers_unit_id", table_name="dossiers")
    op.drop_index("ix_dossiers_applicant_id", table_name="dossiers")
    op.create_index("ix_dossiers_unit_status", "dossiers", ["unit_id", "status"],
                    postgresql_include=["procedure_id"])
    op.create_index("ix_dossiers_queue_due", "dossiers", [sa.text("unit_id"), DUE_ORDER,
                                                          sa.text("id")],
                    postgresql_where=FILED, sqlite_where=FILED)
    op.create_index("ix_dossiers_unit_id_id", "dossiers", ["unit_id", "id"])
    op.create_index("ix_dossiers_applicant_id_id", "dossiers", ["applicant_id", "id"])
    op.drop_index("ix_dossier_events_dossier_id", table_name="dossier_events")
    op.create_index("ix_dossier_events_dossier_id_id", "dossier_events", ["dossier_id", "id"])


def downgrade():
    op.drop_table("permission_revisions")
    op.drop_index("ix_dossier_events_dossier_id_id", table_name="dossier_events")
    op.create_index("ix_dossier_events_dossier_id", "dossier_events", ["dossier_id"])
    for name in ("ix_dossiers_applicant_id_id", "ix_dossiers_unit_id_id", "ix_dossiers_queue_due",
                 "ix_dossiers_unit_status"):
        op.drop_index(name, table_name="dossiers")
    op.create_index("ix_dossiers_applicant_id", "dossiers", ["applicant_id"])
    op.create_index("ix_dossiers_unit_id", "dossiers", ["unit_id"])
