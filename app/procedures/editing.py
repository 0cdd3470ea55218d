"""Administrators' changes to a procedure's catalogue information and its draft form (audited)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.core.refusal import Refused
from app.extensions import db
from app.procedures import operations as procs
from app.procedures.definitions import DefinitionError, metadata_problems
from app.procedures.models import Procedure


def _metadata_problems(meta: dict[str, Any], procedure: Procedure | None) -> list[str]:
    problems = []
    other = procs.get_procedure(meta["code"])
    if other is not None and other is not procedure:
        problems.append(_("Another procedure already has the code %(code)s.", code=meta["code"]))
    for code in meta.get("linked_procedures", []):
        if code != meta["code"] and procs.get_procedure(code) is None:
            problems.append(_("Linked procedure %(code)s does not exist.", code=code))
    return problems


def save_procedure(procedure: Procedure | None, meta: dict[str, Any]) -> Procedure:
    """Create a procedure (with an empty draft form) or change its catalogue information."""
    problems = _metadata_problems(meta, procedure)
    checked = metadata_problems({k: v for k, v in meta.items() if k != "active"})
    if problems or checked:
        fields: dict[str, list[str]] = {}
        for problem in checked:  # "/steps/3" belongs to the steps field
            fields.setdefault(problem.pointer.split("/")[1] if problem.pointer else "",
                              []).append(problem.message)
        raise Refused(problems + [str(p) for p in checked], fields)
    creating = procedure is None
    active = bool(meta.get("active", True))
    meta = {k: v for k, v in meta.items() if k != "active"}  # a column, not a definition key
    before = audit.snapshot(procedure) if not creating else {}
    if creating:
        procedure = Procedure(code=meta["code"])
        db.session.add(procedure)
        data = dict(meta)
    else:
        data = procs.export_definition(procedure)
        data.update(meta)
        procedure.code = meta["code"]
    procs._apply_metadata(procedure, data)
    if "field_en" in meta and procedure.field is not None:  # the administrator renames it
        procedure.field.name_en = meta["field_en"]
    procedure.active = active
    if creating:
        procs.get_or_create_draft(procedure)
    db.session.flush()
    after = audit.snapshot(procedure)
    changes = meta if creating else {k: [before.get(k), v] for k, v in after.items()
                                     if before.get(k) != v}
    audit.record("create" if creating else "update", "Procedure", procedure.id,
                 f"{procedure.code} {procedure.name}", changes)
    db.session.flush()
    return procedure


def save_form(procedure: Procedure, schema: Any, ui_schema: Any, documents: list[dict]) -> Any:
    """Store the form in the draft version (checked by compile_schema)."""
    try:
        draft = procs.save_draft(procedure, schema, ui_schema, documents)
    except DefinitionError as exc:
        raise Refused(exc.problems) from exc
    db.session.flush()
    audit.record("save_draft", "ProcedureVersion", draft.id,
                 f"{procedure.code} v{draft.number}",
                 {"fields": sorted((schema.get("properties") or {}).keys())})
    db.session.flush()
    return draft


def procedures_by_code():
    """All procedures for the editor's list, by code."""
    return db.session.scalars(select(Procedure).order_by(Procedure.code)).all()
