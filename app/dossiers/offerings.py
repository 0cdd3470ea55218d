"""Which procedure is offered at which unit, as the dossier operations look it up."""
from __future__ import annotations

from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.dossiers.errors import field_error
from app.extensions import db
from app.procedures.models import Procedure, UnitProcedure, current_version_id
from app.units.models import AdministrativeUnit


class Offering(NamedTuple):
    procedure: Procedure
    unit: AdministrativeUnit
    offer: UnitProcedure
    version_id: int | None  # the published version a new dossier is filed under


def filing_offering(procedure_code: str, unit_code: str) -> Offering:
    """The active offering of a procedure at a unit, with the id of its current version and the
    unit's parents up to the province (the fees' settings), in one statement; or a 422."""
    row = db.session.execute(
        select(Procedure, AdministrativeUnit, UnitProcedure, current_version_id())
        .join(UnitProcedure, UnitProcedure.procedure_id == Procedure.id)
        .join(AdministrativeUnit, AdministrativeUnit.id == UnitProcedure.unit_id)
        .where(Procedure.code == procedure_code, AdministrativeUnit.code == unit_code,
               Procedure.active.is_(True), UnitProcedure.active.is_(True),
               AdministrativeUnit.active.is_(True))
        .options(joinedload(AdministrativeUnit.parent).joinedload(AdministrativeUnit.parent))
    ).first()
    if row is None:
        raise field_error("/procedure", _("This procedure is not offered at this unit."))
    return Offering(*row)


def offering(procedure_code: str, unit_code: str) -> tuple[Procedure, AdministrativeUnit, UnitProcedure]:
    """The active offering of a procedure at a unit, or a 422 at /procedure."""
    found = filing_offering(procedure_code, unit_code)
    return found.procedure, found.unit, found.offer
