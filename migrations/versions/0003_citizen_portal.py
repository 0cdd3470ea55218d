"""citizen portal: captcha answers, OIDC identities, recorded SMS

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "captcha_challenges",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("answer", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("captcha_challenges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_captcha_challenges_created_at"), ["created_at"], unique=False)

    op.create_table(
        "oidc_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=50), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "subject"),
    )
    with op.batch_alter_table("oidc_identities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oidc_identities_user_id"), ["user_id"], unique=False)

    op.create_table(
        "sms_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=30), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sms_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_records_recipient"), ["recipient"], unique=False)


def downgrade():
    with op.batch_alter_table("sms_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_records_recipient"))
    op.drop_table("sms_records")
    with op.batch_alter_table("oidc_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oidc_identities_user_id"))
    op.drop_table("oidc_identities")
    with op.batch_alter_table("captcha_challenges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_captcha_challenges_created_at"))
    op.drop_table("captcha_challenges")
