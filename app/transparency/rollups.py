"""The rollups of the summary tables, kept by the database from every row the transitions write.

`dossier_stats` (unit × procedure × month) is what the transitions upsert (counts.apply_delta);
the public pages also need it summed per unit and month (`unit_month_stats`) and per province
and month (`province_month_stats`), and `open_dossier_counts` per province (`province_open_counts`),
so that the national page reads provinces × months rows instead of every unit × procedure.

Row triggers add each inserted row, or an update's difference, to the rollups in the same
statement and transaction: no statement more per transition, nothing to forget, nothing that can
go stale. Rows of the summary tables are never deleted but by `counts.rebuild`, which empties the
rollups too (so there is no delete trigger). The same SQL is frozen in migration 0017.
"""
from __future__ import annotations

from typing import Any

from flask_appbuilder import Model
from sqlalchemy import event, select

from app.extensions import db
from app.transparency.models import (
    STAT_COLUMNS,
    DossierStat,
    OpenDossierCount,
    ProvinceMonthStat,
    ProvinceOpenCount,
    UnitMonthStat,
)

MODELS = (UnitMonthStat, ProvinceMonthStat, ProvinceOpenCount)

ROLLUPS = {  # rollup table: (its key columns, taken from the summary row)
    "unit_month_stats": ("unit_id", "month", "province_id"),
    "province_month_stats": ("province_id", "month"),
}
CONFLICT = {"unit_month_stats": "unit_id, month", "province_month_stats": "province_id, month"}


def _upsert(table: str, keys: tuple[str, ...], amounts: dict[str, str], row: str, select: bool) -> str:
    """INSERT the row's keys and amounts into `table`, adding the amounts on conflict; with
    `select`, only when the row has a province (SQLite has no IF)."""
    columns = ", ".join((*keys, *amounts))
    values = ", ".join((*(f"{row}.{k}" for k in keys), *amounts.values()))
    conflict = CONFLICT.get(table, "province_id, month, due_date")
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in amounts)
    source = (f"SELECT {values} WHERE {row}.province_id IS NOT NULL" if select
              else f"VALUES ({values})")
    return f"INSERT INTO {table} ({columns}) {source} ON CONFLICT ({conflict}) DO UPDATE SET {sets}"


def _stat_amounts(update: bool) -> dict[str, str]:
    return {c: f"NEW.{c} - OLD.{c}" if update else f"NEW.{c}" for c in STAT_COLUMNS}


def _open_amounts(update: bool) -> dict[str, str]:
    return {"count": "NEW.count - OLD.count" if update else "NEW.count"}


def postgresql_ddl() -> list[str]:
    """The trigger functions and triggers on PostgreSQL."""
    out, bodies = [], {}
    for update in (False, True):
        stats = [_upsert("unit_month_stats", ROLLUPS["unit_month_stats"], _stat_amounts(update),
                         "NEW", False) + ";",
                 "IF NEW.province_id IS NOT NULL THEN "
                 + _upsert("province_month_stats", ROLLUPS["province_month_stats"],
                           _stat_amounts(update), "NEW", False) + "; END IF;"]
        opens = ["IF NEW.province_id IS NOT NULL THEN "
                 + _upsert("province_open_counts", ("province_id", "month", "due_date"),
                           _open_amounts(update), "NEW", False) + "; END IF;"]
        bodies[update] = (" ".join(stats), " ".join(opens))
    for table, index in (("dossier_stats", 0), ("open_dossier_counts", 1)):
        function = f"motcua_rollup_{table}"
        out.append(f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                   f"BEGIN IF TG_OP = 'INSERT' THEN {bodies[False][index]} "
                   f"ELSE {bodies[True][index]} END IF; RETURN NULL; END $$")
        out.append(f"DROP TRIGGER IF EXISTS {table}_rollup ON {table}")
        out.append(f"CREATE TRIGGER {table}_rollup AFTER INSERT OR UPDATE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {function}()")
    return out


def sqlite_ddl() -> list[str]:
    """The same as SQLite triggers (tests and development databases)."""
    out = []
    for update in (False, True):
        when, name = ("UPDATE", "update") if update else ("INSERT", "insert")
        stats = [_upsert("unit_month_stats", ROLLUPS["unit_month_stats"], _stat_amounts(update), "NEW", False),
                 _upsert("province_month_stats", ROLLUPS["province_month_stats"],
                         _stat_amounts(update), "NEW", True)]
        opens = [_upsert("province_open_counts", ("province_id", "month", "due_date"),
                         _open_amounts(update), "NEW", True)]
        for table, statements in (("dossier_stats", stats), ("open_dossier_counts", opens)):
            out.append(f"DROP TRIGGER IF EXISTS {table}_rollup_{name}")
            out.append(f"CREATE TRIGGER {table}_rollup_{name} AFTER {when} ON {table} FOR EACH ROW "
                       f"BEGIN {'; '.join(statements)}; END")
    return out


def ddl(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return postgresql_ddl()
    if dialect == "sqlite":
        return sqlite_ddl()
    return []


def install(connection: Any) -> None:
    """Create (or replace) the triggers on this connection's database."""
    for statement in ddl(connection.dialect.name):
        connection.exec_driver_sql(statement)


@event.listens_for(Model.metadata, "after_create")
def _after_create(_metadata: Any, connection: Any, **_kw: Any) -> None:
    """db.create_all() (tests, a new development database) gets the triggers too."""
    install(connection)


def totals_of(rows: Any, keys: tuple[str, ...], columns: tuple[str, ...]) -> dict[tuple, dict[str, int]]:
    """What a rollup should hold: `rows` (mappings) summed by `keys`, zero sums left out."""
    out: dict[tuple, dict[str, int]] = {}
    for row in rows:
        if any(row[k] is None for k in keys):
            continue
        sums = out.setdefault(tuple(row[k] for k in keys), dict.fromkeys(columns, 0))
        for c in columns:
            sums[c] += row[c]
    return {k: v for k, v in out.items() if any(v.values())}


def mismatches() -> list[str]:
    """Where a rollup differs from the sums of its summary table (empty when all agree)."""
    stats = db.session.execute(select(DossierStat.__table__)).mappings().all()
    opens = db.session.execute(select(OpenDossierCount.__table__)).mappings().all()
    wanted = [(UnitMonthStat, ("unit_id", "month"), STAT_COLUMNS, stats),
              (ProvinceMonthStat, ("province_id", "month"), STAT_COLUMNS, stats),
              (ProvinceOpenCount, ("province_id", "month", "due_date"), ("count",), opens)]
    out = []
    for model, keys, columns, rows in wanted:
        expected = totals_of(rows, keys, columns)
        held = totals_of(db.session.execute(select(model.__table__)).mappings().all(), keys, columns)
        out += [f"{model.__tablename__} {key}: {held.get(key)} != {expected.get(key)}"
                for key in sorted(set(expected) | set(held), key=str)
                if expected.get(key) != held.get(key)]
    return out
