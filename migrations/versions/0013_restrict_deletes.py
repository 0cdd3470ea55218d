"""restrict deletes: nothing that records point to is deleted (app/core/deletion.py)

Every reference from dossiers, their history, results, payments, ratings, the register, the
public log, the statistics and the offerings to units, procedures, versions, fields and accounts
already is `NO ACTION` (the default, kept): the database refuses the delete of a referenced row,
on PostgreSQL at the end of the statement and on SQLite now that every connection turns on
`PRAGMA foreign_keys` (app/core/sqlite.py). `RESTRICT` would refuse the same deletes, and on
SQLite it would mean rebuilding eighteen tables (the dossiers among them, whose expression index
ix_dossiers_queue_due batch mode cannot reflect); the models state `NO ACTION` explicitly.

Two references cascaded where they should refuse: a unit's officers (`user_units.unit_id`)
and a province's own notification texts (`notification_templates.province_id`) went silently
with the unit. They become NO ACTION; the user's side of `user_units` keeps its CASCADE (a
user's unit links go with the account), like roles, profiles and tokens.

Revision ID: 0013_restrict_deletes
Revises: 0012_speed
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_restrict_deletes"
down_revision = "0012_speed"
branch_labels = None
depends_on = None

# (table, column, referred table): the keys whose delete rule changes.
KEYS = [("user_units", "unit_id", "administrative_units"),
        ("notification_templates", "province_id", "administrative_units")]
# Names the unnamed SQLite keys while batch mode rebuilds the table.
SQLITE_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _set_rule(ondelete):
    bind = op.get_bind()
    for table, column, referred in KEYS:
        if bind.dialect.name == "sqlite":
            # Both tables are leaves (nothing points to them), so rebuilding them is safe with
            # foreign keys on.
            name = f"fk_{table}_{column}_{referred}"
            with op.batch_alter_table(table, recreate="always",
                                      naming_convention=SQLITE_NAMES) as batch:
                batch.drop_constraint(name, type_="foreignkey")
                batch.create_foreign_key(name, referred, [column], ["id"], ondelete=ondelete)
            continue
        for fk in sa.inspect(bind).get_foreign_keys(table):
            if fk["constrained_columns"] == [column] and fk["referred_table"] == referred:
                op.drop_constraint(fk["name"], table, type_="foreignkey")
                op.create_foreign_key(fk["name"], table, referred, [column], ["id"],
                                      ondelete=ondelete)


def upgrade():
    _set_rule("NO ACTION")


def downgrade():
    _set_rule("CASCADE")
