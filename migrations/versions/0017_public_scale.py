"""public_scale: rollups of the statistics per unit and per province (kept by triggers), the
indexes of the public pages' plans, fresh planner statistics (docs/performance.md)

Revision ID: 0017_public_scale
Revises: 0016_speed2
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_public_scale"
down_revision = "0016_speed2"
branch_labels = None
depends_on = None

# Frozen here as app/transparency/rollups.py wrote them on 2026-12-01.
COUNTS = ("submitted", "received", "received_online", "completed", "on_time", "late",
          "processing_days", "digital_results", "ended_other", "paid", "paid_online", "rated",
          "rating_sum", "satisfied")
CONFLICT = {"unit_month_stats": "unit_id, month", "province_month_stats": "province_id, month",
            "province_open_counts": "province_id, month, due_date"}
KEYS = {"unit_month_stats": ("unit_id", "month", "province_id"),
        "province_month_stats": ("province_id", "month"),
        "province_open_counts": ("province_id", "month", "due_date")}


def _counts():
    return [sa.Column(c, sa.BigInteger() if c == "processing_days" else sa.Integer(), nullable=False)
            for c in COUNTS]


def _upsert(table, amounts, select):
    keys = KEYS[table]
    columns = ", ".join((*keys, *amounts))
    values = ", ".join((*(f"NEW.{k}" for k in keys), *amounts.values()))
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in amounts)
    source = f"SELECT {values} WHERE NEW.province_id IS NOT NULL" if select else f"VALUES ({values})"
    return f"INSERT INTO {table} ({columns}) {source} ON CONFLICT ({CONFLICT[table]}) DO UPDATE SET {sets}"


def _amounts(columns, update):
    return {c: f"NEW.{c} - OLD.{c}" if update else f"NEW.{c}" for c in columns}


def _triggers(dialect):
    out = []
    if dialect == "postgresql":
        for table in ("dossier_stats", "open_dossier_counts"):
            bodies = []
            for update in (False, True):
                if table == "dossier_stats":
                    amounts = _amounts(COUNTS, update)
                    body = (_upsert("unit_month_stats", amounts, False) + "; IF NEW.province_id IS NOT "
                            "NULL THEN " + _upsert("province_month_stats", amounts, False) + "; END IF;")
                else:
                    body = ("IF NEW.province_id IS NOT NULL THEN " + _upsert(
                        "province_open_counts", _amounts(("count",), update), False) + "; END IF;")
                bodies.append(body)
            function = f"motcua_rollup_{table}"
            out += [f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    f"BEGIN IF TG_OP = 'INSERT' THEN {bodies[0]} ELSE {bodies[1]} END IF; "
                    f"RETURN NULL; END $$",
                    f"DROP TRIGGER IF EXISTS {table}_rollup ON {table}",
                    f"CREATE TRIGGER {table}_rollup AFTER INSERT OR UPDATE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {function}()"]
    elif dialect == "sqlite":
        for update in (False, True):
            when, name = ("UPDATE", "update") if update else ("INSERT", "insert")
            stats = [_upsert("unit_month_stats", _amounts(COUNTS, update), False),
                     _upsert("province_month_stats", _amounts(COUNTS, update), True)]
            opens = [_upsert("province_open_counts", _amounts(("count",), update), True)]
            for table, statements in (("dossier_stats", stats), ("open_dossier_counts", opens)):
                out += [f"DROP TRIGGER IF EXISTS {table}_rollup_{name}",
                        f"CREATE TRIGGER {table}_rollup_{name} AFTER {when} ON {table} FOR EACH ROW "
                        f"BEGIN {'; '.join(statements)}; END"]
    return out


def upgrade():
    unit_fk = ["administrative_units.id"]
    op.create_table("unit_month_stats",
                    sa.Column("unit_id", sa.Integer(), nullable=False),
                    sa.Column("month", sa.Date(), nullable=False),
                    sa.Column("province_id", sa.Integer(), nullable=True),
                    *_counts(),
                    sa.ForeignKeyConstraint(["unit_id"], unit_fk),
                    sa.ForeignKeyConstraint(["province_id"], unit_fk),
                    sa.PrimaryKeyConstraint("unit_id", "month"))
    op.create_index("ix_unit_month_stats_province_unit", "unit_month_stats",
                    ["province_id", "unit_id", "month"])
    op.create_table("province_month_stats",
                    sa.Column("province_id", sa.Integer(), nullable=False),
                    sa.Column("month", sa.Date(), nullable=False),
                    *_counts(),
                    sa.ForeignKeyConstraint(["province_id"], unit_fk),
                    sa.PrimaryKeyConstraint("province_id", "month"))
    op.create_table("province_open_counts",
                    sa.Column("province_id", sa.Integer(), nullable=False),
                    sa.Column("month", sa.Date(), nullable=False),
                    sa.Column("due_date", sa.Date(), nullable=False),
                    sa.Column("count", sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(["province_id"], unit_fk),
                    sa.PrimaryKeyConstraint("province_id", "month", "due_date"))
    op.create_index("ix_province_open_counts_month", "province_open_counts", ["month", "due_date"])
    op.create_index("ix_dossier_stats_province_unit_procedure", "dossier_stats",
                    ["province_id", "unit_id", "procedure_id", "month"])
    op.create_index("ix_dossier_stats_procedure_unit", "dossier_stats",
                    ["procedure_id", "unit_id", "month"])
    op.create_index("ix_open_dossier_counts_province_month", "open_dossier_counts",
                    ["province_id", "month"])
    op.create_index("ix_open_dossier_counts_procedure_month", "open_dossier_counts",
                    ["procedure_id", "month"])
    # The rollups of what is counted already, then the triggers that keep them.
    sums = ", ".join(f"sum({c})" for c in COUNTS)
    names = ", ".join(COUNTS)
    op.execute(f"INSERT INTO unit_month_stats (unit_id, month, province_id, {names}) "
               f"SELECT unit_id, month, max(province_id), {sums} FROM dossier_stats GROUP BY unit_id, month")
    op.execute(f"INSERT INTO province_month_stats (province_id, month, {names}) "
               f"SELECT province_id, month, {sums} FROM dossier_stats WHERE province_id IS NOT NULL "
               f"GROUP BY province_id, month")
    op.execute("INSERT INTO province_open_counts (province_id, month, due_date, count) "
               "SELECT province_id, month, due_date, sum(count) FROM open_dossier_counts "
               "WHERE province_id IS NOT NULL GROUP BY province_id, month, due_date")
    bind = op.get_bind()
    for statement in _triggers(bind.dialect.name):
        op.execute(statement)
    if bind.dialect.name == "postgresql":
        # The planner's statistics of the public tables (their recount wrote them all at once;
        # with autovacuum off or not yet run, PostgreSQL guesses their sizes).
        for table in ("public_dossiers", "dossier_stats", "open_dossier_counts",
                      "unit_month_stats", "province_month_stats", "province_open_counts"):
            op.execute(f"ANALYZE {table}")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in ("dossier_stats", "open_dossier_counts"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_rollup ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS motcua_rollup_{table}()")
    elif bind.dialect.name == "sqlite":
        for table in ("dossier_stats", "open_dossier_counts"):
            for name in ("insert", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_rollup_{name}")
    for name, table in (("ix_open_dossier_counts_procedure_month", "open_dossier_counts"),
                        ("ix_open_dossier_counts_province_month", "open_dossier_counts"),
                        ("ix_dossier_stats_procedure_unit", "dossier_stats"),
                        ("ix_dossier_stats_province_unit_procedure", "dossier_stats")):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_province_open_counts_month", table_name="province_open_counts")
    op.drop_table("province_open_counts")
    op.drop_table("province_month_stats")
    op.drop_index("ix_unit_month_stats_province_unit", table_name="unit_month_stats")
    op.drop_table("unit_month_stats")
