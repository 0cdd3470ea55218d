"""Which procedure is offered at which unit, as the dossier operations look it up."""
from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import select, true
from sqlalchemy.orm import joinedload

from app.core.uow import note_write
from app.dossiers import codes
from app.dossiers.errors import field_error
from app.extensions import db
from app.procedures.models import Procedure, UnitProcedure, current_version_id
from app.units.models import AdministrativeUnit


class Offering(NamedTuple):
    procedure: Procedure
    unit: AdministrativeUnit
    offer: UnitProcedure
    version_id: int | None  # the published version a new dossier is filed under
    code: str | None = None  # the new dossier's code, when the read claimed its number


def filing_offering(procedure_code: str, unit_code: str,
                    claim_code_at: dt.datetime | None = None) -> Offering:
    """The active offering of a procedure at a unit, with the id of its current version and the
    unit's parents up to the province (the fees' settings), in one statement; or a 422.

    With `claim_code_at`, on PostgreSQL, the same statement also takes the next number of the
    unit's day for the dossier about to be created (codes.claimed_number_cte)."""
    def offered(*columns: Any):
        return (select(*columns).select_from(Procedure)
                .join(UnitProcedure, UnitProcedure.procedure_id == Procedure.id)
                .join(AdministrativeUnit, AdministrativeUnit.id == UnitProcedure.unit_id)
                .where(Procedure.code == procedure_code, AdministrativeUnit.code == unit_code,
                       Procedure.active.is_(True), UnitProcedure.active.is_(True),
                       AdministrativeUnit.active.is_(True)))

    stmt = offered(Procedure, AdministrativeUnit, UnitProcedure, current_version_id()).options(
        joinedload(AdministrativeUnit.parent).joinedload(AdministrativeUnit.parent))
    claim = None
    if claim_code_at is not None and db.session.get_bind().dialect.name == "postgresql":
        claim = codes.claimed_number_cte(unit_code, claim_code_at,
                                         offered(UnitProcedure.id).exists())
        stmt = stmt.add_columns(claim.c.number, claim.c.xid).join_from(
            Procedure, claim, true())
    row = db.session.execute(stmt).first()
    if row is None:
        raise field_error("/procedure", _("This procedure is not offered at this unit."))
    if claim is None:
        return Offering(*row)
    note_write(db.session(), row[-1])
    return Offering(*row[:4], codes.format_code(unit_code, codes.local_day(claim_code_at), row[4]))


def offering(procedure_code: str, unit_code: str) -> tuple[Procedure, AdministrativeUnit, UnitProcedure]:
    """The active offering of a procedure at a unit, or a 422 at /procedure."""
    found = filing_offering(procedure_code, unit_code)
    return found.procedure, found.unit, found.offer
