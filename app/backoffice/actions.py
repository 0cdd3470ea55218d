"""The action panels of the dossier page and the parsing of their form inputs."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from app.dossiers import lifecycle
from app.dossiers.linked import PARENT_BLOCKED
from app.dossiers.models import Dossier
from app.extensions import db
from app.security import scope

# Actions that change what the citizen gets: ask for confirmation before sending.
CONFIRM = {"reject", "refuse", "stop", "approve", "return", "apologize", "request_supplement",
           "request_payment", "receive", "pay", "process"}


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
    """Only the actions the officer may take now (a linked parent acts through its children)."""
    blocked = PARENT_BLOCKED if dossier.parent_id is None and dossier.children else ()
    panels = []
    for transition in lifecycle.allowed_actions(dossier.status, lifecycle.OFFICER):
        if transition.action in blocked:
            continue
        extra: dict[str, Any] = {}
        if transition.action == "request_supplement":
            extra["documents"] = [d.get("title", d.get("key")) for d in
                                  (dossier.procedure_version.required_documents or [])]
        elif transition.action == "assign":
            extra["officers"] = unit_officers(dossier)
        panels.append(ActionPanel(
            transition.action, transition.label, transition.needs_reason,
            transition.action in CONFIRM,
            transition.action in ("reject", "refuse", "stop"), extra))
    return panels


def action_params(action: str, form: Any, files: Any) -> dict[str, Any]:
    """The extra inputs of an action from the submitted form."""
    if action == "receive":
        return {"verification": form.get("verification") == "on"}
    if action == "request_supplement":
        items = form.getlist("items") + [line for line in form.get("items_other", "").splitlines()]
        return {"items": [i for i in items if i.strip()]}
    if action == "request_payment":
        return {"amount": form.get("amount", "")}
    if action == "pay":
        return {"reference": form.get("reference", "")}
    if action == "approve":
        upload = files.get("result_file")
        return {"result_file": upload if upload and upload.filename else None,
                "result_text": form.get("result_text", "")}
    if action == "return":
        return {"method": form.get("method", ""), "tracking_number": form.get("tracking_number", "")}
    if action == "apologize":
        return {"new_due_date": form.get("new_due_date", "")}
    if action == "assign":
        return {"assignee": form.get("assignee", "")}
    return {}
