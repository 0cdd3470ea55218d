"""Business rules of the catalogue: import, publish, offer and export procedures.

Operations flush; the caller (a page, a command) commits once.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from app.core.audit import record
from app.core.types import utcnow
from app.extensions import db
from app.forms.engine import validate
from app.forms.errors import pointer_parts
from app.procedures.changes import FormChange, describe_changes, form_fingerprint
from app.procedures.definitions import (
    META_KEYS,
    DefinitionError,
    Problem,
    definition_problems,
    document_problems,
    form_definition_problems,
)
from app.procedures.models import Field, Procedure, ProcedureVersion, UnitProcedure
from app.units.models import AdministrativeUnit

FORM_KEYS = ("schema", "ui_schema", "required_documents")


@dataclass
class ImportOutcome:
    """What importing one definition did to its procedure."""

    procedure: Procedure
    version: ProcedureVersion
    new_version: bool
    state: str = "unchanged"  # created | new_version | metadata_updated | unchanged
    metadata_changes: dict[str, list[Any]] = field(default_factory=dict)  # key: [old, new]
    form_changes: list[FormChange] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def changed(self) -> bool:
        return self.state != "unchanged" or bool(self.new_units)


def get_procedure(code: str) -> Procedure | None:
    return db.session.scalar(select(Procedure).where(Procedure.code == code))


def get_or_create_field(name: str, name_en: str | None = None) -> Field:
    field = db.session.scalar(select(Field).where(Field.name == name))
    if field is None:
        field = Field(name=name, name_en=name_en)
        db.session.add(field)
    elif name_en and not field.name_en:
        field.name_en = name_en
    return field


def _apply_metadata(procedure: Procedure, data: dict[str, Any]) -> None:
    procedure.set_name(data["name"])
    procedure.name_en = data.get("name_en")
    procedure.field = get_or_create_field(data["field"], data.get("field_en"))
    procedure.tier = data["tier"]
    procedure.level = data["level"]
    procedure.processing_days = data["processing_days"]
    procedure.verification_days = data.get("verification_days")
    procedure.retention_months = data.get("retention_months")
    procedure.fee = data["fee"]
    procedure.fee_note = data.get("fee_note")
    procedure.agency = data.get("agency")
    procedure.result = data.get("result")
    procedure.steps = list(data.get("steps") or [])
    procedure.legal_basis = list(data.get("legal_basis") or [])
    procedure.delivery_methods = list(data.get("delivery_methods") or ["office"])
    procedure.linked_procedures = list(data.get("linked_procedures") or [])
    # Other keys (English texts, who may file, notes…) ride in `extra`; an emptied one is dropped.
    procedure.extra = {k: v for k, v in data.items()
                       if k not in META_KEYS and k not in FORM_KEYS and v is not None and v != []}


def next_version_number(procedure: Procedure) -> int:
    if procedure.id is None:
        return 1
    current = db.session.scalar(
        select(func.max(ProcedureVersion.number)).where(ProcedureVersion.procedure_id == procedure.id)
    )
    return (current or 0) + 1


def publish_version(version: ProcedureVersion) -> ProcedureVersion:
    """Freeze a draft version and make it the one citizens file under."""
    if version.published_at is None:
        version.published_at = utcnow()
    return version


def definition_metadata(procedure: Procedure) -> dict[str, Any]:
    """The catalogue information of a procedure as definition keys (no form)."""
    return {k: v for k, v in export_definition(procedure).items() if k not in FORM_KEYS}


def import_definition(data: dict[str, Any], unit_codes: list[str] | None = None,
                      source: str = "<definition>", *, checked: bool = False) -> ImportOutcome:
    """Create a procedure or publish a new version of it; says what changed; caller commits."""
    problems = [] if checked else definition_problems(data)
    units = units_by_code(unit_codes or [], problems)
    if problems:
        raise DefinitionError(source, problems)
    procedure = get_procedure(data["code"])
    created = procedure is None
    if created:
        procedure = Procedure(code=data["code"])
        db.session.add(procedure)
    before = {} if created else definition_metadata(procedure)
    _apply_metadata(procedure, data)
    after = definition_metadata(procedure)
    form = (data["schema"], data.get("ui_schema") or {}, data.get("required_documents") or [])
    current = procedure.current_version
    outcome = ImportOutcome(procedure, current, False, source=source)
    if current is None or (current.schema, current.ui_schema, current.required_documents) != form:
        outcome.form_changes = describe_changes(current, form)
        outcome.version = ProcedureVersion(
            procedure=procedure, number=next_version_number(procedure), schema=form[0],
            ui_schema=form[1], required_documents=form[2],
        )
        db.session.add(outcome.version)
        publish_version(outcome.version)
        outcome.new_version = True
    if not created:
        outcome.metadata_changes = {k: [before.get(k), after.get(k)] for k in {*before, *after}
                                    if before.get(k) != after.get(k)}
    outcome.state = ("created" if created else "new_version" if outcome.new_version
                     else "metadata_updated" if outcome.metadata_changes else "unchanged")
    for unit in units:
        if not _offered(procedure, unit):
            outcome.new_units.append(unit.code)
        offer_procedure(procedure, unit, active=True)
    return outcome


def _offered(procedure: Procedure, unit: AdministrativeUnit) -> bool:
    if procedure.id is None or unit.id is None:
        return False
    return db.session.scalar(select(UnitProcedure.id).where(
        UnitProcedure.unit_id == unit.id, UnitProcedure.procedure_id == procedure.id,
        UnitProcedure.active.is_(True))) is not None


def units_by_code(codes: list[str], problems: list) -> list[AdministrativeUnit]:
    """The units of the codes; a Problem for each unknown code is added to problems."""
    units = []
    for code in codes:
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == code))
        if unit is None:
            problems.append(Problem("", gettext("No administrative unit has the code %(code)s.",
                                          code=code)))
        else:
            units.append(unit)
    return units


def offer_procedure(procedure: Procedure, unit: AdministrativeUnit, **overrides: Any) -> UnitProcedure:
    """Offer a procedure at a unit (idempotent); overrides set fee/contact/hours."""
    offering = None
    if procedure.id is not None and unit.id is not None:
        offering = db.session.scalar(select(UnitProcedure).where(
            UnitProcedure.unit_id == unit.id, UnitProcedure.procedure_id == procedure.id))
    if offering is None:
        offering = UnitProcedure(unit=unit, procedure=procedure, active=True)
        db.session.add(offering)
    for key, value in overrides.items():
        setattr(offering, key, value)
    return offering


def export_definition(procedure: Procedure) -> dict[str, Any]:
    """The definition of the procedure's current version, in the import format."""
    version = procedure.current_version
    data: dict[str, Any] = {
        "code": procedure.code, "name": procedure.name, "name_en": procedure.name_en,
        "field": procedure.field.name if procedure.field else "",
        "field_en": procedure.field.name_en if procedure.field else None,
        "tier": procedure.tier, "level": procedure.level,
        "processing_days": procedure.processing_days,
        "verification_days": procedure.verification_days, "fee": procedure.fee,
        "retention_months": procedure.retention_months,
        "fee_note": procedure.fee_note, "agency": procedure.agency, "result": procedure.result,
        "steps": procedure.steps, "legal_basis": procedure.legal_basis,
        "delivery_methods": procedure.delivery_methods,
        "linked_procedures": procedure.linked_procedures,
    }
    data = {k: v for k, v in data.items() if v not in (None, [])}
    data.update(procedure.extra or {})
    if version is not None:
        data["required_documents"] = version.required_documents
        data["schema"] = version.schema
        data["ui_schema"] = version.ui_schema
    return data


# --- Draft versions: edited in the admin, published once, migrated drafts -------------------

# Errors that only say something is missing: a draft may be incomplete.
MISSING_KEYWORDS = ("required", "dependentRequired")


def get_draft(procedure: Procedure) -> ProcedureVersion | None:
    """The procedure's unpublished version newer than the current one, if any."""
    current = procedure.current_version
    # A draft older than the current version was overtaken by an import: start afresh.
    drafts = [v for v in procedure.versions if v.published_at is None
              and (current is None or v.number > current.number)]
    return drafts[-1] if drafts else None


def get_or_create_draft(procedure: Procedure) -> ProcedureVersion:
    """The draft to edit: the existing one, or a copy of the current version."""
    draft = get_draft(procedure)
    if draft is not None:
        return draft
    current = procedure.current_version
    draft = ProcedureVersion(
        procedure=procedure, number=next_version_number(procedure),
        schema=dict(current.schema) if current else {"type": "object", "properties": {}},
        ui_schema=dict(current.ui_schema or {}) if current else {},
        required_documents=list(current.required_documents or []) if current else [],
    )
    db.session.add(draft)
    return draft


def form_problems(schema: Any, ui_schema: Any, required_documents: Any = ()) -> list[str]:
    """compile_schema's problems and the required-document problems, for the editor."""
    documents = list(required_documents) if isinstance(required_documents, list | tuple) \
        else required_documents
    return [str(p) for p in form_definition_problems(schema, ui_schema)
            + document_problems(documents)]


def save_draft(procedure: Procedure, schema: dict, ui_schema: dict | None,
               required_documents: list | None = None) -> ProcedureVersion:
    """Store a checked form in the draft version; raises DefinitionError; caller commits."""
    documents = required_documents if required_documents is not None else (
        get_draft(procedure) or procedure.current_version or ProcedureVersion(required_documents=[])
    ).required_documents or []
    problems = form_problems(schema, ui_schema, documents)
    if problems:
        raise DefinitionError(procedure.code, problems)
    draft = get_or_create_draft(procedure)
    draft.schema, draft.ui_schema, draft.required_documents = schema, ui_schema or {}, documents
    return draft


def restore_version(procedure: Procedure, number: int,
                    fingerprint: str | None = None) -> ProcedureVersion:
    """Make an earlier published version's form the draft again (checked, audited); flushes.

    With a fingerprint of the draft (or current version) shown on the confirmation page,
    a form changed since then is refused rather than overwritten.
    """
    old = next((v for v in procedure.versions if v.number == number and v.published_at), None)
    draft = get_draft(procedure)
    if fingerprint is not None and fingerprint != form_fingerprint(draft or procedure.current_version):
        raise DefinitionError(procedure.code, [gettext(
            "The draft changed after you reviewed it. Check the changes again.")])
    if old is None:
        raise DefinitionError(procedure.code, [gettext("There is no published version %(n)d.",
                                                       n=number)])
    if draft is None and old is procedure.current_version:
        raise DefinitionError(procedure.code, [gettext(
            "Version %(n)d is already the current version.", n=number)])
    changes = describe_changes(draft or procedure.current_version, old)
    draft = save_draft(procedure, copy.deepcopy(old.schema), copy.deepcopy(old.ui_schema or {}),
                       copy.deepcopy(old.required_documents or []))
    db.session.flush()
    record("restore_version", "ProcedureVersion", draft.id,
           f"{procedure.code} v{number} → v{draft.number}",
           {"from_version": number, "draft": draft.number, "form": [c.as_dict() for c in changes]})
    return draft


def _delete_at(data: Any, parts: list[str]) -> bool:
    for part in parts[:-1]:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return False
    last = parts[-1] if parts else None
    if isinstance(data, dict) and last in data:
        del data[last]
        return True
    if isinstance(data, list) and last is not None and last.isdigit() and int(last) < len(data):
        data.pop(int(last))
        return True
    return False


def fit_data(schema: dict, data: Any) -> tuple[dict, list[str]]:
    """A copy of data without the values the schema refuses; missing values are not errors."""
    kept = copy.deepcopy(data) if isinstance(data, dict) else {}
    dropped: list[str] = []
    for _ in range(20):  # each round removes the deepest offending values
        errors = [e for e in validate(schema, kept)
                  if e.keyword not in MISSING_KEYWORDS and e.path]
        if not errors:
            break
        # Delete deepest-first (and list items from the end) so pointers stay valid.
        for error in sorted(errors, key=lambda e: pointer_parts(e.path), reverse=True):
            if _delete_at(kept, pointer_parts(error.path)):
                dropped.append(error.path)
    return kept, sorted(set(dropped))


def publish_draft(procedure: Procedure, fingerprint: str | None = None) -> ProcedureVersion:
    """Publish the draft (checked again, audited); with a fingerprint from the confirmation
    page, a draft changed since then is refused."""
    draft = get_draft(procedure)
    if draft is None:
        raise DefinitionError(procedure.code, [gettext("There is no draft version to publish.")])
    if fingerprint is not None and fingerprint != form_fingerprint(draft):
        raise DefinitionError(procedure.code, [gettext(
            "The draft changed after you reviewed it. Check the changes again.")])
    problems = form_problems(draft.schema, draft.ui_schema, draft.required_documents)
    if problems:
        raise DefinitionError(procedure.code, problems)
    changes = describe_changes(procedure.current_version, draft)
    publish_version(draft)
    db.session.flush()
    record("publish", "ProcedureVersion", draft.id, f"{procedure.code} v{draft.number}",
           {"form": [c.as_dict() for c in changes]})
    return draft
