"""Administrative changes to the catalogue: each validated, audited and committed once."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.extensions import db
from app.procedures import operations as procs
from app.procedures.definitions import DefinitionError, metadata_problems
from app.procedures.models import Procedure


class AdminError(Exception):
    """A change refused with localized problems; nothing was stored."""

    def __init__(self, problems: list[str], fields: dict[str, list[str]] | None = None):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.fields = fields or {}  # the same problems by form field, when known


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
        raise AdminError(problems + [str(p) for p in checked], fields)
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
    procedure.active = active
    if creating:
        procs.get_or_create_draft(procedure)
    db.session.flush()
    after = audit.snapshot(procedure)
    changes = meta if creating else {k: [before.get(k), v] for k, v in after.items()
                                     if before.get(k) != v}
    audit.record("create" if creating else "update", "Procedure", procedure.id,
                 f"{procedure.code} {procedure.name}", changes)
    db.session.commit()
    return procedure


def save_form(procedure: Procedure, schema: Any, ui_schema: Any, documents: list[dict]) -> Any:
    """Store the form in the draft version (checked by compile_schema)."""
    try:
        draft = procs.save_draft(procedure, schema, ui_schema, documents)
    except DefinitionError as exc:
        db.session.rollback()
        raise AdminError(exc.problems) from exc
    db.session.flush()
    audit.record("save_draft", "ProcedureVersion", draft.id,
                 f"{procedure.code} v{draft.number}",
                 {"fields": sorted((schema.get("properties") or {}).keys())})
    db.session.commit()
    return draft


def procedures_by_code():
    """All procedures for the editor's list, by code."""
    return db.session.scalars(select(Procedure).order_by(Procedure.code)).all()


# --- Units and offerings ------------------------------------------------------------------

def load_units(province_codes: list[str]) -> Any:
    """Load/update units from vietnam-provinces and deactivate vanished ones (one commit)."""
    from app.units.operations import import_units

    wanted = [c.strip() for c in province_codes if c.strip()]
    bad = [c for c in wanted if not c.isdigit() or len(c) > 2]
    if bad:
        raise AdminError([_("Province codes are one or two digits: %(codes)s", codes=", ".join(bad))])
    entry = audit.record("import_units", "AdministrativeUnit", ",".join(wanted) or "all",
                         _("Units loaded from vietnam-provinces"))
    try:
        result = import_units(wanted or None)  # commits the audit entry with the units
    except Exception:
        db.session.rollback()
        raise
    entry.changes = {"created": result.created, "updated": result.updated,
                     "deactivated": result.deactivated}
    db.session.commit()
    return result


def units_for_assignment(province_code: str, all_communes: bool, codes: list[str]) -> list[Any]:
    """The units chosen on the assignment form; AdminError names unknown codes."""
    from app.units.models import AdministrativeUnit
    from app.units.operations import get_unit

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
        raise AdminError(problems)
    return units


def assign_procedure(procedure: Procedure, units: list[Any], overrides: dict[str, Any]) -> int:
    """Offer a procedure at every unit with the given overrides (empty ones are left alone)."""
    values = {k: v for k, v in overrides.items() if v not in (None, "")}
    for unit in units:
        procs.offer_procedure(procedure, unit, active=True, **values)
    audit.record("assign", "Procedure", procedure.code,
                 _("%(code)s offered at %(n)d units", code=procedure.code, n=len(units)),
                 {"units": [u.code for u in units], "overrides": values})
    db.session.commit()
    return len(units)


# --- Form templates -----------------------------------------------------------------------

def add_template(procedure: Procedure, title: str, filename: str, data: bytes) -> Any:
    """Check a template by content, store it and list it on the procedure page."""
    from app.admin_tools import files
    from app.procedures.models import ProcedureTemplate

    filename = files.clean_filename(filename)
    content_type, problems = files.check_upload(filename, data)
    title = (title or "").strip() or filename.rsplit(".", 1)[0]
    if len(title) > 255:
        problems.append(_("The title is longer than 255 characters."))
    if problems:
        raise AdminError(problems)
    key, digest = files.store(data, content_type)
    template = ProcedureTemplate(procedure=procedure, title=title, filename=filename,
                                 content_type=content_type, size=len(data), sha256=digest,
                                 storage_key=key)
    db.session.add(template)
    db.session.flush()
    audit.record("create", "ProcedureTemplate", template.id, f"{procedure.code}: {filename}",
                 {"sha256": digest, "size": len(data)})
    db.session.commit()
    return template


def delete_template(template: Any) -> None:
    """Remove a template from the procedure (the stored bytes may be shared, so they stay)."""
    audit.record("delete", "ProcedureTemplate", template.id,
                 f"{template.procedure.code}: {template.filename}", {"sha256": template.sha256})
    db.session.delete(template)
    db.session.commit()
