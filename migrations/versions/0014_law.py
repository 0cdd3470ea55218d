"""law: the officer who took a walk-in dossier and its Idempotency-Key (counter create retries)

Revision ID: 0014_law
Revises: 0013_restrict_deletes
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_law"
down_revision = "0013_restrict_deletes"
branch_labels = None
depends_on = None

DUE_ORDER = sa.text("coalesce(due_date, '9999-12-31')")
FILED = sa.text("status != 'draft'")


def _queue_index_back():
    """On SQLite the batch copies the table without the expression index of 0012 (it cannot
    reflect it): make it again."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_dossiers_queue_due")
    op.create_index("ix_dossiers_queue_due", "dossiers", [sa.text("unit_id"), DUE_ORDER,
                                                          sa.text("id")], sqlite_where=FILED)


def upgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taken_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("intake_idempotency_key", sa.String(length=100),
                                      nullable=True))
        batch_op.create_foreign_key("fk_dossiers_taken_by_id_ab_user", "ab_user",
                                    ["taken_by_id"], ["id"], ondelete="NO ACTION")
        batch_op.create_unique_constraint("uq_dossiers_taken_by_id_intake_idempotency_key",
                                          ["taken_by_id", "intake_idempotency_key"])
    _queue_index_back()


def downgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_dossiers_taken_by_id_intake_idempotency_key", type_="unique")
        batch_op.drop_constraint("fk_dossiers_taken_by_id_ab_user", type_="foreignkey")
        batch_op.drop_column("intake_idempotency_key")
        batch_op.drop_column("taken_by_id")
    _queue_index_back()
