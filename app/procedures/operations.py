"""Business rules of the catalogue: import, publish, offer and export procedures."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from app.core.types import fold_vietnamese, utcnow
from app.extensions import db
from app.procedures.definitions import META_KEYS, DefinitionError, check_definition
from app.procedures.models import Field, Procedure, ProcedureVersion, UnitProcedure
from app.units.models import AdministrativeUnit


@dataclass
class ImportOutcome:
    procedure: Procedure
    version: ProcedureVersion
    new_version: bool


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
    procedure.fee = data["fee"]
    procedure.fee_note = data.get("fee_note")
    procedure.agency = data.get("agency")
    procedure.result = data.get("result")
    procedure.steps = list(data.get("steps", []))
    procedure.legal_basis = list(data.get("legal_basis", []))
    procedure.delivery_methods = list(data.get("delivery_methods", ["office"]))
    procedure.linked_procedures = list(data.get("linked_procedures", []))
    procedure.extra = {k: v for k, v in data.items()
                       if k not in META_KEYS and k not in ("schema", "ui_schema", "required_documents")}


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


def import_definition(data: dict[str, Any], unit_codes: list[str] | None = None,
                      source: str = "<definition>") -> ImportOutcome:
    """Create a procedure or publish a new version of it; caller commits."""
    problems = check_definition(data)
    units = _units_by_code(unit_codes or [], problems)
    if problems:
        raise DefinitionError(source, problems)
    procedure = get_procedure(data["code"])
    if procedure is None:
        procedure = Procedure(code=data["code"])
        db.session.add(procedure)
    _apply_metadata(procedure, data)
    form = (data["schema"], data.get("ui_schema") or {}, data.get("required_documents", []))
    current = procedure.current_version
    if current is not None and (current.schema, current.ui_schema, current.required_documents) == form:
        version, new_version = current, False
    else:
        version = ProcedureVersion(
            procedure=procedure, number=next_version_number(procedure), schema=form[0],
            ui_schema=form[1], required_documents=form[2],
        )
        db.session.add(version)
        publish_version(version)
        new_version = True
    for unit in units:
        offer_procedure(procedure, unit)
    return ImportOutcome(procedure, version, new_version)


def _units_by_code(codes: list[str], problems: list[str]) -> list[AdministrativeUnit]:
    units = []
    for code in codes:
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == code))
        if unit is None:
            problems.append(f"--unit {code}: no such administrative unit")
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


def search_procedures(unit_code: str | None = None, q: str | None = None,
                      field: str | None = None, level: int | None = None,
                      tier: str | None = None):
    """Select statement of the active catalogue, filtered as the citizen asks."""
    stmt = select(Procedure).where(Procedure.active.is_(True))
    if unit_code:
        stmt = stmt.join(UnitProcedure, UnitProcedure.procedure_id == Procedure.id).join(
            AdministrativeUnit, AdministrativeUnit.id == UnitProcedure.unit_id
        ).where(AdministrativeUnit.code == unit_code, UnitProcedure.active.is_(True))
    if q:
        words = fold_vietnamese(q).split()
        for word in words:
            stmt = stmt.where(Procedure.search_name.contains(word))
    if field:
        stmt = stmt.join(Field, Field.id == Procedure.field_id).where(
            or_(Field.name == field, Field.name_en == field))
    if level:
        stmt = stmt.where(Procedure.level == level)
    if tier:
        stmt = stmt.where(Procedure.tier == tier)
    return stmt.order_by(Procedure.field_id, Procedure.name)
