"""Which units offer a procedure, with their overrides (audited)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.refusal import Refused
from app.extensions import db
from app.procedures import operations as procs
from app.procedures.models import Procedure
from app.units.models import AdministrativeUnit
from app.units.operations import get_unit


def units_for_assignment(province_code: str, all_communes: bool, codes: list[str]) -> list[Any]:
    """The units chosen on the assignment form; Refused names unknown codes."""
    problems, units = [], []
    if all_communes:
        province = get_unit(province_code) if province_code else None
        if province is None or province.level != "province":
            problems.append(_("Choose the province whose communes offer the procedure."))
        else:
            units += db.session.scalars(select(AdministrativeUnit).where(
                AdministrativeUnit.parent_id == province.id, AdministrativeUnit.active.is_(True)
            ).order_by(AdministrativeUnit.code)).all()
    for code in codes:
        unit = get_unit(code)
        if unit is None or not unit.active:
            problems.append(_("No active unit has the code %(code)s.", code=code))
        elif unit not in units:
            units.append(unit)
    if not units and not problems:
        problems.append(_("Choose at least one unit."))
    if problems:
        raise Refused(problems)
    return units


def assign_procedure(procedure: Procedure, units: list[Any], overrides: dict[str, Any]) -> int:
    """Offer a procedure at every unit with the given overrides (empty ones are left alone)."""
    values = {k: v for k, v in overrides.items() if v not in (None, "")}
    for unit in units:
        procs.offer_procedure(procedure, unit, active=True, **values)
    audit.record("assign", "Procedure", procedure.code,
                 _("%(code)s offered at %(n)d units", code=procedure.code, n=len(units)),
                 {"units": [u.code for u in units], "overrides": values})
    db.session.flush()
    return len(units)
