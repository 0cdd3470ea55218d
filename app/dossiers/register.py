"""The tracking register (Sổ theo dõi hồ sơ, Mẫu 07 of Circular 03/2025/TT-VPCP): every dossier
a unit receives gets the next number of that unit's register for the year, without gaps.

Dossier codes are taken at draft creation and leave gaps (drafts abandoned); register numbers are
taken at receipt, inside the receipt's transaction, from a counter row locked FOR UPDATE: a
receipt that rolls back gives its number back, and two receipts at once queue on the lock.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from app.core.moments import LOCAL_TZ, local
from app.dossiers import lifecycle
from app.dossiers.lifecycle import ActionContext
from app.dossiers.models import Dossier, RegisterCounter, RegisterEntry
from app.extensions import db
from app.security.names import full_name


def take_number(unit_id: int, year: int) -> int:
    """The next register number of the unit and year (caller's transaction)."""
    table = RegisterCounter.__table__
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    db.session.execute(insert(table).values(unit_id=unit_id, year=year, last_value=0)
                       .on_conflict_do_nothing(index_elements=[table.c.unit_id, table.c.year]))
    current = db.session.execute(
        select(table.c.last_value).where(table.c.unit_id == unit_id, table.c.year == year)
        .with_for_update()).scalar_one()
    db.session.execute(update(table).where(table.c.unit_id == unit_id, table.c.year == year)
                       .values(last_value=current + 1))
    return current + 1


def entry_at(dossier: Dossier, unit_id: int) -> RegisterEntry | None:
    """The dossier's line in a unit's register, if the unit entered it."""
    return db.session.scalar(select(RegisterEntry).where(
        RegisterEntry.dossier_id == dossier.id, RegisterEntry.unit_id == unit_id)
        .order_by(RegisterEntry.id.desc()))


def enter(dossier: Dossier, moment: dt.datetime) -> RegisterEntry:
    """Enter the dossier in its current unit's register (once; a second receipt keeps it)."""
    entry = entry_at(dossier, dossier.unit_id)
    if entry is None:
        year = local(moment).year
        entry = RegisterEntry(unit_id=dossier.unit_id, year=year, dossier_id=dossier.id,
                              number=take_number(dossier.unit_id, year), entered_at=moment)
        db.session.add(entry)
        db.session.flush()
    dossier.register_number, dossier.register_year = entry.number, entry.year
    return entry


@lifecycle.effect("enter_register")
def enter_register(dossier: Dossier, ctx: ActionContext) -> None:
    """At receipt: the dossier's number in the register of the unit that received it."""
    enter(dossier, ctx.moment)
    ctx.payload["register_number"] = dossier.register_number


def register_label(dossier: Dossier) -> str:
    """"15/2026": number and volume (the year) as the receipt shows them."""
    if dossier.register_number is None:
        return ""
    return f"{dossier.register_number}/{dossier.register_year}"


@dataclass
class RegisterQuery:
    unit_id: int
    start: dt.date | None = None
    end: dt.date | None = None


def _bounds(day: dt.date, end: bool) -> dt.datetime:
    """Local midnight of a day (the day after, for an inclusive end) as an aware moment."""
    moment = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time(), LOCAL_TZ)
    return moment.astimezone(dt.timezone.utc)  # stored moments are UTC


def entries(query: RegisterQuery) -> list[RegisterEntry]:
    """The register's lines for a period (by time of entry), in register order."""
    stmt = (select(RegisterEntry).where(RegisterEntry.unit_id == query.unit_id)
            .options(joinedload(RegisterEntry.dossier), joinedload(RegisterEntry.forwarded_to))
            .order_by(RegisterEntry.year, RegisterEntry.number))
    if query.start:
        stmt = stmt.where(RegisterEntry.entered_at >= _bounds(query.start, False))
    if query.end:
        stmt = stmt.where(RegisterEntry.entered_at < _bounds(query.end, True))
    return list(db.session.scalars(stmt).unique())


def applicant_of(dossier: Any) -> str:
    """Who filed it: the walk-in's name, else the name in the form, else the account's."""
    if dossier.applicant_name:
        return dossier.applicant_name
    data = dossier.data or {}
    for key in ("requester", "registrant", "subject"):
        part = data.get(key)
        if isinstance(part, dict) and part.get("full_name"):
            return str(part["full_name"])
    return full_name(dossier.applicant)
