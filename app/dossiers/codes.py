"""Dossier codes <unit code>-YYMMDD-NNNN, numbered per unit and local day."""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal, select
from sqlalchemy.dialects import postgresql, sqlite

from app.core.uow import execute_write
from app.dossiers.models import DossierSequence
from app.extensions import db

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_day(when: dt.datetime) -> dt.date:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(LOCAL_TZ).date()


def _claim(unit_code: str, day: dt.date, dialect: str, only_if: Any = None):
    """The statement that takes the day's next number (the upsert of the unit's counter);
    with `only_if`, an INSERT … SELECT that claims only where that condition holds."""
    table = DossierSequence.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    first = {"unit_code": unit_code, "day": day, "last_value": 1}
    stmt = insert(table).values(**first) if only_if is None else insert(table).from_select(
        list(first), select(*(literal(v) for v in first.values())).where(only_if))
    return stmt.on_conflict_do_update(index_elements=[table.c.unit_code, table.c.day],
                                      set_={"last_value": table.c.last_value + 1})


def format_code(unit_code: str, day: dt.date, number: int) -> str:
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"


def next_dossier_code(unit_code: str, when: dt.datetime) -> str:
    """Take the next number atomically; concurrent transactions queue on the row lock."""
    day = local_day(when)
    stmt = _claim(unit_code, day, db.session.get_bind().dialect.name)
    (number,) = execute_write(db.session(), stmt, DossierSequence.__table__.c.last_value)
    return format_code(unit_code, day, number)


def claimed_number_cte(unit_code: str, when: dt.datetime, only_if: Any):
    """PostgreSQL: the claim as a data-modifying CTE (`number`, and the transaction's `xid`
    for the commit's fate check), to ride on a statement the caller sends anyway — the filing's
    read of its offering. It claims only where `only_if` (an EXISTS) holds: a unit or an
    offering that does not exist leaves no counter behind."""
    claim = _claim(unit_code, local_day(when), "postgresql", only_if)
    return claim.returning(DossierSequence.__table__.c.last_value.label("number"),
                           func.txid_current().label("xid")).cte("claimed_number")
