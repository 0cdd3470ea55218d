"""Level 4: fees and their province settings, payment attempts and callbacks, receipt numbers,
signing certificates, signed results with a public id.

Revision ID: 0005_level4
Revises: 0005_sort_names
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0005_level4'
down_revision = '0005_sort_names'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('receipt_sequences',
    sa.Column('unit_code', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('unit_code', 'year')
    )
    op.create_table('signing_credentials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_code', sa.String(length=50), nullable=False),
    sa.Column('pkcs12', sa.LargeBinary(), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('not_before', sa.DateTime(timezone=True), nullable=False),
    sa.Column('not_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('chain_pem', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signing_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_credentials_owner_code'), ['owner_code'], unique=True)

    op.create_table('fee_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_id', sa.Integer(), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=True),
    sa.Column('fee', sa.Integer(), nullable=True),
    sa.Column('online_reduction_percent', sa.Integer(), nullable=True),
    sa.Column('reduction_until', sa.Date(), nullable=True),
    sa.Column('postal_charge', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], ),
    sa.ForeignKeyConstraint(['province_id'], ['administrative_units.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('province_id', 'procedure_id')
    )
    with op.batch_alter_table('fee_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fee_settings_procedure_id'), ['procedure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fee_settings_province_id'), ['province_id'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('txn_ref', sa.String(length=40), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('gateway', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gateway_ref', sa.String(length=100), nullable=True),
    sa.Column('bank_code', sa.String(length=20), nullable=True),
    sa.Column('response_code', sa.String(length=10), nullable=True),
    sa.Column('callback', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('credited', sa.Boolean(), nullable=False),
    sa.Column('receipt_number', sa.String(length=40), nullable=True),
    sa.Column('payer_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], ),
    sa.ForeignKeyConstraint(['payer_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt_number')
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_txn_ref'), ['txn_ref'], unique=True)

    op.create_table('payment_callbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('txn_ref', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('rsp_code', sa.String(length=4), nullable=False),
    sa.Column('message', sa.String(length=255), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('payment_callbacks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_callbacks_payment_id'), ['payment_id'], unique=False)

    with op.batch_alter_table('dossier_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('title', sa.String(length=255), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('signed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('signer', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint('uq_dossier_results_public_id', ['public_id'])

    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_items', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('fee_exemption', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('fee_paid', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_column('paid_at')
        batch_op.drop_column('fee_paid')
        batch_op.drop_column('fee_exemption')
        batch_op.drop_column('fee_items')

    with op.batch_alter_table('dossier_results', schema=None) as batch_op:
        batch_op.drop_constraint('uq_dossier_results_public_id', type_='unique')
        batch_op.drop_column('signer')
        batch_op.drop_column('signed')
        batch_op.drop_column('title')
        batch_op.drop_column('public_id')

    with op.batch_alter_table('payment_callbacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_callbacks_payment_id'))

    op.drop_table('payment_callbacks')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_txn_ref'))
        batch_op.drop_index(batch_op.f('ix_payments_state'))
        batch_op.drop_index(batch_op.f('ix_payments_dossier_id'))

    op.drop_table('payments')
    with op.batch_alter_table('fee_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_settings_province_id'))
        batch_op.drop_index(batch_op.f('ix_fee_settings_procedure_id'))

    op.drop_table('fee_settings')
    with op.batch_alter_table('signing_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signing_credentials_owner_code'))

    op.drop_table('signing_credentials')
    op.drop_table('receipt_sequences')
