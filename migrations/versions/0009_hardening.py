"""hardening: each user's session generation (logout, password change, deactivation end sessions)

Revision ID: 0009_hardening
Revises: 0008_channel
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_hardening"
down_revision = "0010_counter"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade():
    with op.batch_alter_table("user_profiles", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
