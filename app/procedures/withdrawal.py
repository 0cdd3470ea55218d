"""Deleting and withdrawing catalogue rows: a procedure, an offering, a field (lĩnh vực).

Nothing that dossiers or other records point to is deleted (app/core/deletion.py); what is
offered instead is withdrawing it from the catalogue (`active`): it disappears from the
catalogue and nobody files it any more, while its dossiers keep working. Audited.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.core import audit
from app.core.deletion import delete_row, register_references
from app.extensions import db
from app.procedures.models import Field, Procedure, UnitProcedure


def procedure_instead() -> str:
    return _("Withdraw it from the catalogue instead of deleting it (action “Withdraw from the "
             "catalogue”): its dossiers keep working.")


def offering_instead() -> str:
    return _("Stop offering it at this unit instead of deleting it (action “Stop offering "
             "here”): its dossiers keep working.")


def delete_procedure(procedure: Procedure) -> None:
    """Delete a procedure nothing points to, with its versions and templates; else Refused."""
    delete_row(procedure, _("the procedure “%(name)s”", name=str(procedure)), procedure_instead())


def withdraw_procedure(procedure: Procedure) -> None:
    """Take a procedure out of the catalogue: nobody files it any more, its dossiers stay."""
    _set_active(procedure, False, "Procedure", procedure.code)


def reinstate_procedure(procedure: Procedure) -> None:
    _set_active(procedure, True, "Procedure", procedure.code)


def delete_offering(offering: UnitProcedure) -> None:
    delete_row(offering, _("the offering “%(name)s”", name=str(offering)), offering_instead())


def withdraw_offering(offering: UnitProcedure) -> None:
    """Stop offering a procedure at a unit: its dossiers there keep working."""
    _set_active(offering, False, "UnitProcedure", offering.id)


def reinstate_offering(offering: UnitProcedure) -> None:
    _set_active(offering, True, "UnitProcedure", offering.id)


def delete_field(field: Field) -> None:
    delete_row(field, _("the field “%(name)s”", name=field.name),
               _("Move its procedures to another field first."))


def _set_active(row, active: bool, object_type: str, object_id) -> None:
    if row.active == active:
        return
    audit.record("reinstate" if active else "withdraw", object_type, object_id, str(row),
                 {"active": [row.active, active]})
    row.active = active
    db.session.flush()


def _linked_from(procedure: Procedure):
    """Linked procedures (liên thông) that open a dossier of this one: no key, a code list."""
    parents = [code for code, linked in db.session.execute(
        select(Procedure.code, Procedure.linked_procedures).where(Procedure.id != procedure.id))
        if procedure.code in (linked or [])]
    if parents:
        yield ngettext("%(num)d linked procedure (%(codes)s) opening its dossiers",
                       "%(num)d linked procedures (%(codes)s) opening its dossiers", len(parents),
                       codes=", ".join(parents))


register_references("procedures", _linked_from)
