"""Which procedure is offered at which unit, as the dossier operations look it up."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.dossiers.errors import field_error
from app.extensions import db
from app.procedures.models import Procedure, UnitProcedure
from app.units.models import AdministrativeUnit


def offering(procedure_code: str, unit_code: str) -> tuple[Procedure, AdministrativeUnit, UnitProcedure]:
    """The active offering of a procedure at a unit, or a 422 at /procedure."""
    row = db.session.execute(
        select(Procedure, AdministrativeUnit, UnitProcedure)
        .join(UnitProcedure, UnitProcedure.procedure_id == Procedure.id)
        .join(AdministrativeUnit, AdministrativeUnit.id == UnitProcedure.unit_id)
        .where(Procedure.code == procedure_code, AdministrativeUnit.code == unit_code,
               Procedure.active.is_(True), UnitProcedure.active.is_(True),
               AdministrativeUnit.active.is_(True))
    ).first()
    if row is None:
        raise field_error("/procedure", _("This procedure is not offered at this unit."))
    return row[0], row[1], row[2]
