"""Vietnamese alphabetical order: sort keys of unit and procedure names.

Revision ID: 0005_sort_names
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

from app.core.collation import vietnamese_key, without_division

revision = "0005_sort_names"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("administrative_units") as batch_op:
        batch_op.add_column(sa.Column("sort_name", sa.String(length=800), nullable=False,
                                      server_default=""))
        batch_op.create_index("ix_administrative_units_sort_name", ["sort_name"])
    with op.batch_alter_table("procedures") as batch_op:
        batch_op.add_column(sa.Column("sort_name", sa.String(length=1600), nullable=False,
                                      server_default=""))
    connection = op.get_bind()
    units = sa.table("administrative_units", sa.column("id"), sa.column("name"),
                     sa.column("division_type"), sa.column("sort_name"))
    for row in connection.execute(sa.select(units.c.id, units.c.name, units.c.division_type)):
        connection.execute(units.update().where(units.c.id == row.id).values(
            sort_name=vietnamese_key(without_division(row.name or "", row.division_type))))
    procedures = sa.table("procedures", sa.column("id"), sa.column("name"), sa.column("sort_name"))
    for row in connection.execute(sa.select(procedures.c.id, procedures.c.name)):
        connection.execute(procedures.update().where(procedures.c.id == row.id).values(
            sort_name=vietnamese_key(row.name)))


def downgrade():
    with op.batch_alter_table("procedures") as batch_op:
        batch_op.drop_column("sort_name")
    with op.batch_alter_table("administrative_units") as batch_op:
        batch_op.drop_index("ix_administrative_units_sort_name")
        batch_op.drop_column("sort_name")
