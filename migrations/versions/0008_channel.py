"""channel: how each dossier reached the office (online, counter, post)

Revision ID: 0008_channel
Revises: 0007_faults
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_channel"
down_revision = "0007_faults"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=10), nullable=False,
                                      server_default="online"))


def downgrade():
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_column("channel")
