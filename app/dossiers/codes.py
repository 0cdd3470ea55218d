"""Dossier codes <unit code>-YYMMDD-NNNN, numbered per unit and local day."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite

from app.core.uow import execute_write
from app.dossiers.models import DossierSequence
from app.extensions import db

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_day(when: dt.datetime) -> dt.date:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(LOCAL_TZ).date()


def next_dossier_code(unit_code: str, when: dt.datetime) -> str:
    """Take the next number atomically; concurrent transactions queue on the row lock."""
    day = local_day(when)
    table = DossierSequence.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(table)
        .values(unit_code=unit_code, day=day, last_value=1)
        .on_conflict_do_update(
            index_elements=[table.c.unit_code, table.c.day],
            set_={"last_value": table.c.last_value + 1},
        )
    )
    (number,) = execute_write(db.session(), stmt, table.c.last_value)
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"
