"""Linked procedures (liên thông, Decree 63/2024): one parent dossier, one child per part.

The parent is filed and received like any dossier; its due date follows the linked procedure's
own processing days. Its parts are the codes of `Procedure.linked_procedures`, in the order of
`linked_after` (`app.procedures.linking`): a part that needs another's result starts when that
one is **done** — its result approved (`result_ready`) or already returned. The result exists from
the approval on (the birth certificate and personal ID number the residence registration needs),
and a dossier in `result_ready` can no longer be refused or stopped, so nothing waits for the
hand-over of a paper.

A part *starts* when the system opens its child dossier and receives it through the table
(draft → received, allowed to the SYSTEM actor for a linked child only): its clock starts then,
never later than the parent's due date. At the parent's receipt the parts that wait for nothing
start; when a part is approved (or returned) the parts waiting for it start in the same
transaction. Each child receives the parent's declaration, renamed where `linked_data` says so.

A part refused, stopped, refused at receipt or withdrawn can no longer give its result: the parts
that wait for it (directly or not) never start, and the system stops the parent with the reason
(Mẫu 05). Parts already running go on to their own end. When every part is returned, the system
returns the parent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.dossiers import lifecycle
from app.dossiers.creation import new_dossier_row
from app.dossiers.errors import DossierError
from app.dossiers.lifecycle import ActionContext
from app.dossiers.models import Dossier
from app.dossiers.status import Status
from app.dossiers.submission import offered_methods
from app.extensions import db
from app.procedures.linking import part_data, prerequisites, ready_parts
from app.procedures.models import Procedure

# A part is done once its result exists; it failed once it can never give one.
DONE = frozenset({Status.RESULT_READY, Status.RETURNED})
FAILED = frozenset({Status.REJECTED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN})


def is_parent(dossier: Dossier) -> bool:
    """A dossier of a linked procedure (it has, or will have, children)."""
    return bool(dossier.procedure.linked_procedures) and dossier.parent_id is None


def part_codes(dossier: Dossier) -> list[str]:
    """The codes of the parent's parts, in the definition's order."""
    return [str(code) for code in dossier.procedure.linked_procedures or []]


def _children_by_code(dossier: Dossier) -> dict[str, Dossier]:
    return {child.procedure.code: child for child in dossier.children}


def all_parts_returned(dossier: Dossier) -> bool:
    """Every part was started and every child returned (the parent may be returned)."""
    children = _children_by_code(dossier)
    codes = part_codes(dossier) or list(children)
    return bool(children) and all(
        code in children and children[code].status == Status.RETURNED for code in codes) and \
        all(child.status == Status.RETURNED for child in children.values())


def children_progress(dossier: Dossier) -> tuple[int, int]:
    """(returned parts, all parts) for the parent's progress bar (parts not started count)."""
    children = list(dossier.children)
    total = max(len(part_codes(dossier)), len(children)) if dossier.parent_id is None else 0
    return sum(1 for c in children if c.status == Status.RETURNED), total


# --- What the pages and the API show of each part --------------------------------------------

@dataclass
class Part:
    """One part of a linked dossier as the pages show it."""

    code: str
    name: str
    procedure: Procedure | None
    dossier: Dossier | None  # None until the part starts
    state: str  # started, waiting, not_started
    waits_for: list[str] = field(default_factory=list)  # names of the parts not done yet
    failed: list[str] = field(default_factory=list)  # names of the parts that cannot be done

    @property
    def label(self) -> str:
        """The part's state in the reader's language."""
        if self.dossier is not None:
            return str(Status(self.dossier.status).label)
        if self.state == "waiting":
            return _("waiting for the %(parts)s dossier to be completed",
                     parts=", ".join(self.waits_for))
        if self.failed:
            return _("not started: the %(parts)s dossier was not completed",
                     parts=", ".join(self.failed))
        return _("not started: the linked dossier was stopped")

    def as_json(self) -> dict[str, Any]:
        child = self.dossier
        return {"procedure": self.code, "name": self.name, "state": self.state,
                "dossier": child.code if child else None, "status": child.status if child else None,
                "received_at": child.received_at.isoformat() if child and child.received_at else None,
                "due_date": child.due_date.isoformat() if child and child.due_date else None,
                "waiting_for": self.waits_for, "label": self.label}


def _procedures(codes: list[str]) -> dict[str, Procedure]:
    if not codes:
        return {}
    return {p.code: p for p in db.session.scalars(select(Procedure).where(Procedure.code.in_(codes)))}


def parts(dossier: Dossier) -> list[Part]:
    """Each part of a linked parent with its state: its child dossier once started, else what it
    waits for, or why it will not start."""
    if not is_parent(dossier):
        return []
    codes = part_codes(dossier)
    children = _children_by_code(dossier)
    procedures = _procedures(codes)
    names = {code: p.name for code, p in procedures.items()}
    blocked: dict[str, list[str]] = {}  # code → names of the failed parts it needs (transitively)

    def failed_before(code: str, seen: frozenset[str] = frozenset()) -> list[str]:
        if code in blocked:
            return blocked[code]
        found: list[str] = []
        for other in prerequisites(dossier.procedure, code):
            if other in seen:
                continue
            child = children.get(other)
            if child is not None and child.status in FAILED:
                found.append(names.get(other, other))
            elif child is None:
                found += failed_before(other, seen | {code})
        blocked[code] = list(dict.fromkeys(found))
        return blocked[code]

    result = []
    for code in codes:
        name = names.get(code, code)
        if code in children:
            result.append(Part(code, name, procedures.get(code), children[code], "started"))
            continue
        failed = failed_before(code)
        waits = [names.get(o, o) for o in prerequisites(dossier.procedure, code)
                 if o not in children or children[o].status not in DONE]
        if failed or Status(dossier.status).terminal:
            result.append(Part(code, name, procedures.get(code), None, "not_started", waits, failed))
        else:
            result.append(Part(code, name, procedures.get(code), None, "waiting", waits))
    return result


# --- The table's guards and effects ------------------------------------------------------------

@lifecycle.guard("not_linked_parent")
def not_linked_parent(dossier: Dossier, ctx: ActionContext) -> None:
    if dossier.parent_id is None and (
            dossier.children or (is_parent(dossier) and dossier.received_at is not None)):
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
    if not all_parts_returned(dossier):
        raise DossierError(_("A linked dossier is returned when all its parts are."), 409)


@lifecycle.guard("linked_part_failed")
def linked_part_failed(dossier: Dossier, ctx: ActionContext) -> None:
    """The system stops a linked dossier only when one of its parts can no longer be done, and
    a part only when its linked dossier was stopped."""
    parent = dossier.parent
    if parent is not None and parent.status in FAILED:
        return
    if not any(child.status in FAILED for child in dossier.children):
        raise DossierError(_("A linked dossier is stopped by the system only when one of its "
                             "parts was not completed."), 409)


@lifecycle.effect("quiet_linked_part")
def quiet_linked_part(dossier: Dossier, ctx: ActionContext) -> None:
    """The citizen was told of the parent's receipt; its parts opening is not news."""
    if ctx.actor == lifecycle.SYSTEM and dossier.parent_id is not None:
        ctx.event = None


def _part_delivery(procedure: Procedure, parent: Dossier) -> dict[str, Any]:
    """How a part hands its result over: the parent's way when the part's procedure offers it,
    else the first way it offers (at the office for most); the address only goes with post."""
    offered = offered_methods(procedure)
    method = parent.delivery_method if parent.delivery_method in offered else offered[0]
    return {"delivery_method": method,
            "delivery_address": dict(parent.delivery_address or {}) if method == "post" else {}}


def start_ready_parts(parent: Dossier, ctx: ActionContext) -> list[Dossier]:
    """Open and receive, through the gate, every part whose prerequisites are all done."""
    if Status(parent.status).terminal or parent.received_at is None:
        return []
    children = _children_by_code(parent)
    done = [code for code, child in children.items() if child.status in DONE]
    started = []
    for code in ready_parts(parent.procedure, done, started=list(children)):
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == code))
        if procedure is None or procedure.current_version is None:
            raise DossierError(
                _("The linked procedure %(code)s is not available; the dossier cannot be received.",
                  code=code), 409)
        child = new_dossier_row(
            procedure, parent.unit, getattr(ctx.user, "id", None), moment=ctx.moment,
            payload={"parent": parent.code}, applicant_id=parent.applicant_id, parent=parent,
            contact_phone=parent.contact_phone, contact_email=parent.contact_email,
            data=part_data(parent.procedure, code, parent.data),
            **_part_delivery(procedure, parent), fee=0,
            submitted_at=parent.submitted_at, channel=parent.channel,
            applicant_name=parent.applicant_name,
            applicant_id_number=parent.applicant_id_number)
        ctx.perform(None, child, "receive")
        started.append(child)
    return started


@lifecycle.effect("open_linked_children")
def open_linked_children(dossier: Dossier, ctx: ActionContext) -> None:
    """On the parent's first receipt, start the parts that wait for nothing."""
    if not is_parent(dossier) or dossier.children:
        return
    start_ready_parts(dossier, ctx)


@lifecycle.effect("start_linked_parts")
def start_linked_parts(dossier: Dossier, ctx: ActionContext) -> None:
    """A part's result is ready: the parts waiting for it start now (same transaction)."""
    parent = dossier.parent
    if parent is not None and dossier.status in DONE:
        start_ready_parts(parent, ctx)


@lifecycle.effect("stop_linked_parent")
def stop_linked_parent(dossier: Dossier, ctx: ActionContext) -> None:
    """A part that can no longer give its result stops the parent (and so its waiting parts)."""
    parent = dossier.parent
    if parent is None or Status(parent.status).terminal:
        return
    with force_locale("vi"):  # the note is on the citizen's notice and the Mẫu 05 paper
        waiting = [p.name for p in parts(parent) if p.state == "not_started"]
        status = str(Status(dossier.status).label)
        note = _("The linked part %(part)s was not completed (%(status)s)",
                 part=dossier.procedure.name, status=status[:1].lower() + status[1:])
        if ctx.note:
            note += ": " + ctx.note
        if waiting:
            note += ". " + _("Not started: %(parts)s.", parts="; ".join(waiting))
        else:
            note += "."
    ctx.perform(None, parent, "stop", note=note[:2000])


@lifecycle.effect("stop_running_parts")
def stop_running_parts(dossier: Dossier, ctx: ActionContext) -> None:
    """A linked dossier stopped by its officer stops its parts still in progress (the system,
    through the gate: each part's history says why); the parts not started never start."""
    if dossier.parent_id is not None or not dossier.children:
        return
    with force_locale("vi"):
        note = _("The linked dossier %(code)s was stopped", code=dossier.code)
        note = f"{note}: {ctx.note}"[:2000] if ctx.note else f"{note}."
    for child in sorted(dossier.children, key=lambda c: c.id):
        if lifecycle.allowed("stop", child.status, lifecycle.SYSTEM):
            ctx.perform(None, child, "stop", note=note)


@lifecycle.effect("complete_linked_parent")
def complete_linked_parent(dossier: Dossier, ctx: ActionContext) -> None:
    """When the last part is returned, the system returns the parent (on time or late)."""
    parent = dossier.parent
    if parent is None or Status(parent.status).terminal or not all_parts_returned(parent):
        return
    with force_locale("vi"):
        note = _("All linked dossiers were returned.")
    ctx.perform(None, parent, "return", note=note,
                method=dossier.return_method, tracking_number=dossier.tracking_number)
