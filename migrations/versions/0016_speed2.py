"""speed2: the revision of the settings workers keep in memory (app/core/settings_cache.py)

Revision ID: 0016_speed2
Revises: 0014_law
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0016_speed2"
down_revision = "0014_law"
branch_labels = None
depends_on = None


def upgrade():
    # Bumped whenever a fee setting, an offering or a notification text changes.
    op.create_table("settings_revisions",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("revision", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("id", name=op.f("pk_settings_revisions")))
    op.execute("INSERT INTO settings_revisions (id, revision) VALUES (1, 1)")


def downgrade():
    op.drop_table("settings_revisions")
