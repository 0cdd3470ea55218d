"""Back office: dossier clock, apology and return fields, results, ratings, province calendars.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('province_calendars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('cutoff_hour', sa.Integer(), nullable=True),
    sa.Column('cutoff_minute', sa.Integer(), nullable=False),
    sa.Column('supplement_policy', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['administrative_units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id')
    )
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('calendar_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['calendar_id'], ['province_calendars.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('calendar_id', 'day')
    )
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_days_calendar_id'), ['calendar_id'], unique=False)

    op.create_table('dossier_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('generated', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('storage_key')
    )
    with op.batch_alter_table('dossier_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_results_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('satisfaction_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], ),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['administrative_units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dossier_id')
    )
    with op.batch_alter_table('satisfaction_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_ratings_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_ratings_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_stopped_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('remaining_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('supplement_items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('supplement_rounds', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('original_due_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('apologized_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('return_method', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('tracking_number', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        for column in ('tracking_number', 'return_method', 'apologized_at', 'original_due_date',
                       'supplement_rounds', 'supplement_items', 'remaining_days',
                       'clock_stopped_at'):
            batch_op.drop_column(column)
    with op.batch_alter_table('satisfaction_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_ratings_unit_id'))
        batch_op.drop_index(batch_op.f('ix_satisfaction_ratings_procedure_id'))
    op.drop_table('satisfaction_ratings')
    with op.batch_alter_table('dossier_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_results_dossier_id'))
    op.drop_table('dossier_results')
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_days_calendar_id'))
    op.drop_table('calendar_days')
    op.drop_table('province_calendars')
