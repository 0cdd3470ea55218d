"""Linked procedures (liên thông): one parent dossier, one child per participating procedure.

The parent is filed and received like any dossier; its due date follows the linked
procedure's own processing days. On its first receipt a child dossier is created for every
code in `Procedure.linked_procedures`, each with its own lifecycle and a due date no later
than the parent's. The parent is not processed itself: it completes (status `returned`)
when every child has been returned.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.dossiers import lifecycle
from app.dossiers.codes import next_dossier_code
from app.dossiers.errors import DossierError
from app.dossiers.history import record_event
from app.dossiers.models import Dossier
from app.extensions import db
from app.procedures.models import Procedure

# What an officer does on a child instead of on the parent.
PARENT_BLOCKED = ("process", "request_payment", "approve", "refuse", "return")


def is_parent(dossier: Dossier) -> bool:
    """A dossier of a linked procedure (it has, or will have, children)."""
    return bool(dossier.procedure.linked_procedures) and dossier.parent_id is None


def children_progress(dossier: Dossier) -> tuple[int, int]:
    """(returned children, all children) for the parent's progress bar."""
    children = list(dossier.children)
    return sum(1 for c in children if c.status == "returned"), len(children)


@lifecycle.on("receive")
def create_children(dossier: Dossier, *, user: Any, note: str | None, **_params: Any) -> None:
    """On the parent's first receipt, open one child dossier per linked procedure."""
    if not is_parent(dossier) or dossier.children:
        return
    from app.calendar import calendar_for, cutoff_for
    from app.dossiers.effects import now
    from app.workdays import due_date

    moment = now()
    for code in dossier.procedure.linked_procedures:
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == str(code)))
        if procedure is None or procedure.current_version is None:
            raise DossierError(
                _("The linked procedure %(code)s is not available; the dossier cannot be received.",
                  code=code), 409)
        own_due = due_date(moment, procedure.processing_days or 0, cutoff=cutoff_for(dossier.unit),
                           calendar=calendar_for(dossier.unit))
        child = Dossier(
            code=next_dossier_code(dossier.unit.code, moment), procedure=procedure,
            procedure_version=procedure.current_version, unit=dossier.unit,
            applicant_id=dossier.applicant_id, parent=dossier,
            contact_phone=dossier.contact_phone, contact_email=dossier.contact_email,
            data=dict(dossier.data or {}), status="received",
            delivery_method=dossier.delivery_method,
            delivery_address=dict(dossier.delivery_address or {}), fee=0,
            created_at=moment, submitted_at=dossier.submitted_at, received_at=moment,
            due_date=min(own_due, dossier.due_date) if dossier.due_date else own_due,
        )
        db.session.add(child)
        db.session.flush()
        record_event(child, "receive", getattr(user, "id", None), status_before=None,
                     status_after="received", note=note, payload={"parent": dossier.code})


def _guard_parent(dossier: Dossier, **_kwargs: Any) -> None:
    if dossier.parent_id is None and dossier.children:
        raise DossierError(_("A linked dossier is processed through its child dossiers; it "
                             "completes when all of them are returned."), 409)


for _action in PARENT_BLOCKED:
    lifecycle.on(_action)(_guard_parent)


@lifecycle.on("return")
def complete_parent(dossier: Dossier, *, user: Any, note: str | None, **_params: Any) -> None:
    """When the last child is returned, the parent is returned too (on time or late)."""
    parent = dossier.parent
    if parent is None or parent.status in ("returned", "rejected", "refused", "stopped",
                                           "withdrawn"):
        return
    if any(child.status != "returned" for child in parent.children):
        return
    from app.dossiers.effects import local_date, now
    from app.notifications.operations import notify_dossier_event

    moment = now()
    before = parent.status
    parent.status = "returned"
    parent.completed_at = moment
    parent.return_method = dossier.return_method
    parent.on_time = (parent.apologized_at is None and parent.due_date is not None
                      and local_date(moment) <= parent.due_date)
    record_event(parent, "return", getattr(user, "id", None), status_before=before,
                 status_after="returned", note=_("All linked dossiers were returned."),
                 payload={"linked": True})
    notify_dossier_event(parent, "returned")
