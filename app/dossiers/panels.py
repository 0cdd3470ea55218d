"""The action panels of the dossier page and the parsing of their form inputs."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from app.dossiers import lifecycle
from app.dossiers.forwarding import forward_targets
from app.dossiers.models import Dossier
from app.dossiers.operations import available_actions
from app.extensions import db
from app.security import scope

# Actions that change what the citizen gets: ask for confirmation before sending.
CONFIRM = {"reject", "refuse", "stop", "approve", "return", "apologize", "request_supplement",
           "request_payment", "receive", "pay", "process", "refund", "forward"}


@dataclass
class ActionPanel:
    action: str
    label: Any
    needs_reason: bool
    confirm: bool
    danger: bool
    extra: dict[str, Any] = field(default_factory=dict)


def unit_officers(dossier: Dossier) -> list[Any]:
    """Active officers of the dossier's unit (assignment choices)."""
    user_model = current_app.appbuilder.sm.user_model
    return db.session.scalars(
        scope.unit_officers(dossier.unit_id).order_by(user_model.username)).all()


def action_panels(dossier: Dossier, user: Any) -> list[ActionPanel]:
    """Only the actions the gate would let this officer take now, guards included."""
    panels = []
    for transition in available_actions(user, dossier, lifecycle.OFFICER):
        extra: dict[str, Any] = {}
        if transition.action == "request_supplement":
            extra["documents"] = [d.get("title", d.get("key")) for d in
                                  (dossier.procedure_version.required_documents or [])]
        elif transition.action == "assign":
            extra["officers"] = unit_officers(dossier)
        elif transition.action == "forward":
            extra["units"] = forward_targets(dossier)
        panels.append(ActionPanel(
            transition.action, transition.label, transition.needs_reason,
            transition.action in CONFIRM,
            transition.action in ("reject", "refuse", "stop"), extra))
    return panels


def _text(form: Any, name: str) -> str | None:
    return (form.get(name) or "").strip() or None


def _amount(value: str | None) -> int | str | None:
    """Dong as typed ("12.000", "12 000"); anything else is left for the schema to refuse."""
    if value is None:
        return None
    digits = value.replace(".", "").replace(",", "").replace(" ", "")
    return int(digits) if digits.isdigit() else value


def action_params(action: str, form: Any, files: Any) -> dict[str, Any]:
    """The inputs of an action from the submitted form, typed as its parameter schema says."""
    if action == "receive":
        return {"verification": form.get("verification") == "on"}
    if action == "request_supplement":
        items = form.getlist("items") + form.get("items_other", "").splitlines()
        return {"items": [i.strip() for i in items if i.strip()]}
    if action == "request_payment":
        return {"amount": _amount(_text(form, "amount"))}
    if action == "pay":
        return {"reference": _text(form, "reference"), "amount": _amount(_text(form, "amount"))}
    if action == "refund":
        return {"reference": _text(form, "reference")}
    if action == "approve":
        upload = files.get("result_file")
        return {"result_file": upload if upload and upload.filename else None,
                "result_text": _text(form, "result_text")}
    if action == "return":
        return {"method": _text(form, "method"), "tracking_number": _text(form, "tracking_number")}
    if action == "apologize":
        return {"new_due_date": _text(form, "new_due_date")}
    if action == "assign":
        return {"assignee": _text(form, "assignee")}
    if action == "forward":
        return {"unit": _text(form, "unit")}
    return {}
