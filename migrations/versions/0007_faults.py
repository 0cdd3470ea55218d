"""faults: a stable Message-ID per outbox message; idempotent uploads; request fingerprints

Revision ID: 0007_faults
Revises: 0005_level4
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_faults"
down_revision = "0005_level4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
    # Messages queued before this revision get an id of their own, as new ones do.
    op.execute("UPDATE outbox_messages SET message_id = '<outbox-' || id || '@motcua.local>' "
               "WHERE message_id IS NULL")


    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_fingerprint", sa.String(length=64), nullable=True))
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("idempotency_fingerprint", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint("uq_attachments_dossier_id_idempotency_key",
                                          ["dossier_id", "idempotency_key"])


def downgrade():
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_constraint("uq_attachments_dossier_id_idempotency_key", type_="unique")
        batch_op.drop_column("idempotency_fingerprint")
        batch_op.drop_column("idempotency_key")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("idempotency_fingerprint")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("message_id")
