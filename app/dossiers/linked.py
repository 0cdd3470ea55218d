"""Linked procedures (liên thông): one parent dossier, one child per participating procedure.

The parent is filed and received like any dossier; its due date follows the linked procedure's
own processing days. On its first receipt the system opens one child per code in
`Procedure.linked_procedures` and receives it through the table (draft → received by the
system, allowed only for a linked child), with a due date no later than the parent's. Officers
act on the children; when the last child is returned, the system returns the parent.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.dossiers import lifecycle
from app.dossiers.creation import new_dossier_row
from app.dossiers.errors import DossierError
from app.dossiers.lifecycle import ActionContext
from app.dossiers.models import Dossier
from app.dossiers.status import Status
from app.extensions import db
from app.procedures.models import Procedure


def is_parent(dossier: Dossier) -> bool:
    """A dossier of a linked procedure (it has, or will have, children)."""
    return bool(dossier.procedure.linked_procedures) and dossier.parent_id is None


def children_progress(dossier: Dossier) -> tuple[int, int]:
    """(returned children, all children) for the parent's progress bar."""
    children = list(dossier.children)
    return sum(1 for c in children if c.status == Status.RETURNED), len(children)


@lifecycle.guard("not_linked_parent")
def not_linked_parent(dossier: Dossier, ctx: ActionContext) -> None:
    if dossier.parent_id is None and dossier.children:
        raise DossierError(_("A linked dossier is processed through its child dossiers; it "
                             "completes when all of them are returned."), 409)


@lifecycle.guard("linked_child")
def linked_child(dossier: Dossier, ctx: ActionContext) -> None:
    """Only the system receives a draft, and only a linked child whose parent was received."""
    parent = dossier.parent
    if parent is None or parent.received_at is None:
        raise DossierError(_("Only a linked part of a received dossier is received this way."), 409)


@lifecycle.guard("linked_children_returned")
def linked_children_returned(dossier: Dossier, ctx: ActionContext) -> None:
    children = list(dossier.children)
    if not children or any(child.status != Status.RETURNED for child in children):
        raise DossierError(_("A linked dossier is returned when all its parts are."), 409)


@lifecycle.effect("quiet_linked_part")
def quiet_linked_part(dossier: Dossier, ctx: ActionContext) -> None:
    """The citizen was told of the parent's receipt; its parts opening is not news."""
    if ctx.actor == lifecycle.SYSTEM and dossier.parent_id is not None:
        ctx.event = None


@lifecycle.effect("open_linked_children")
def open_linked_children(dossier: Dossier, ctx: ActionContext) -> None:
    """On the parent's first receipt, open and receive one child per linked procedure."""
    if not is_parent(dossier) or dossier.children:
        return
    for code in dossier.procedure.linked_procedures:
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == str(code)))
        if procedure is None or procedure.current_version is None:
            raise DossierError(
                _("The linked procedure %(code)s is not available; the dossier cannot be received.",
                  code=code), 409)
        child = new_dossier_row(
            procedure, dossier.unit, getattr(ctx.user, "id", None), moment=ctx.moment,
            payload={"parent": dossier.code}, applicant_id=dossier.applicant_id, parent=dossier,
            contact_phone=dossier.contact_phone, contact_email=dossier.contact_email,
            data=dict(dossier.data or {}), delivery_method=dossier.delivery_method,
            delivery_address=dict(dossier.delivery_address or {}), fee=0,
            submitted_at=dossier.submitted_at, channel=dossier.channel,
            applicant_name=dossier.applicant_name,
            applicant_id_number=dossier.applicant_id_number)
        ctx.perform(None, child, "receive", note=ctx.note)


@lifecycle.effect("complete_linked_parent")
def complete_linked_parent(dossier: Dossier, ctx: ActionContext) -> None:
    """When the last child is returned, the system returns the parent (on time or late)."""
    parent = dossier.parent
    if parent is None or Status(parent.status).terminal:
        return
    if any(child.status != Status.RETURNED for child in parent.children):
        return
    ctx.perform(None, parent, "return", note=_("All linked dossiers were returned."),
                method=dossier.return_method, tracking_number=dossier.tracking_number)
