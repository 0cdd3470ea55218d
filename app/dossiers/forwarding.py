"""Forwarding within the province (Decree 118/2025): a procedure not bound by administrative
boundaries may be received at any centre of the province and forwarded to the competent unit.
Which procedures allow it is the definition key "forwardable". The officers of the old unit lose
the dossier, those of the new unit gain it; both registers keep their line; the clock goes on
(docs/deadlines.md)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.dossiers import lifecycle, register
from app.dossiers.errors import DossierError, field_error
from app.dossiers.lifecycle import ActionContext
from app.dossiers.models import Dossier
from app.extensions import db
from app.procedures.models import UnitProcedure
from app.units.models import AdministrativeUnit
from app.units.operations import get_unit


def is_forwardable(procedure: Any) -> bool:
    """The procedure's definition says it does not depend on administrative boundaries."""
    return bool(procedure.forwardable)


def forward_targets(dossier: Dossier) -> list[AdministrativeUnit]:
    """The other units of the dossier's province that offer its procedure, by name."""
    province = dossier.unit.province
    units = db.session.scalars(
        select(AdministrativeUnit).join(UnitProcedure, UnitProcedure.unit_id == AdministrativeUnit.id)
        .where(UnitProcedure.procedure_id == dossier.procedure_id, UnitProcedure.active.is_(True),
               AdministrativeUnit.active.is_(True), AdministrativeUnit.id != dossier.unit_id)
        .order_by(AdministrativeUnit.sort_name))
    return [u for u in units if u.province.id == province.id]


@lifecycle.guard("forwardable")
def forwardable(dossier: Dossier, ctx: ActionContext) -> None:
    if not is_forwardable(dossier.procedure):
        raise DossierError(_("This procedure is handled only by its own unit; it cannot be "
                             "forwarded."), 409)


@lifecycle.effect("forward_to_unit")
def forward_to_unit(dossier: Dossier, ctx: ActionContext) -> None:
    """Move the dossier to a unit of the same province that offers the procedure."""
    target = get_unit(str(ctx.params.get("unit") or "").strip())
    old = dossier.unit
    if target is None or not target.active or target.id == old.id \
            or target.province.id != old.province.id:
        raise field_error("/unit", _("Choose another unit of the same province."))
    if target not in forward_targets(dossier):
        raise field_error("/unit", _("This unit does not offer the procedure."))
    entry = register.entry_at(dossier, old.id)
    if entry is not None:
        entry.forwarded_to_id, entry.forwarded_at = target.id, ctx.moment
    dossier.unit_id, dossier.unit = target.id, target
    dossier.assignee_id = None  # the new unit's officers take it from their queue
    if dossier.received_at is not None:  # the competent unit enters it in its own register
        register.enter(dossier, ctx.moment)
    ctx.payload.update(from_unit=old.code, to_unit=target.code, from_unit_name=old.name,
                       to_unit_name=target.name)
    ctx.notice["previous_unit"] = old.name
