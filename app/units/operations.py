"""Loading units from the vietnam-provinces package and looking them up."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, joinedload

from app.core import audit, settings_cache
from app.core.deletion import delete_row
from app.core.refusal import Refused
from app.core.types import fold_vietnamese
from app.extensions import db
from app.forms.formats import set_unit_lister, set_unit_namer, set_unit_resolver
from app.units.models import AdministrativeUnit

if TYPE_CHECKING:
    from vietnam_provinces import ProvinceCode

# Demo provinces: Xã Lộc Tấn is in Đồng Nai (75), Xã Tam Đa in Bắc Ninh (24) since July 2025.
DEMO_PROVINCES = ("75", "24")


def province_code(code: int | ProvinceCode) -> str:
    return f"{int(code):02d}"


def ward_code(code: int) -> str:
    return f"{int(code):05d}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0


def _upsert(existing: dict[str, AdministrativeUnit], code: str, name: str, level: str,
            division_type: str, parent: AdministrativeUnit | None, result: ImportResult
            ) -> AdministrativeUnit:
    unit = existing.get(code)
    if unit is None:
        unit = AdministrativeUnit(code=code, level=level, active=True)
        unit.set_name(name)
        db.session.add(unit)
        existing[code] = unit
        result.created += 1
    elif (unit.name, unit.level, unit.division_type, unit.parent, unit.active) != (
        name, level, division_type, parent, True
    ):
        result.updated += 1
    unit.set_name(name)
    unit.level = level
    unit.division_type = division_type
    unit.parent = parent
    unit.active = True
    return unit


def import_units(province_codes: list[str] | None = None) -> ImportResult:
    """Create or update provinces and their communes/wards; deactivate vanished ones."""
    # The country's list of units (≈ 2 MB) is read by an import, not kept by every worker.
    from vietnam_provinces import Province, Ward

    wanted = {province_code(c) for c in province_codes} if province_codes else None
    existing = {u.code: u for u in db.session.scalars(select(AdministrativeUnit))}
    result = ImportResult()
    seen: set[str] = set()
    for province in Province.iter_all():
        pcode = province_code(province.code)
        if wanted is not None and pcode not in wanted:
            continue
        parent = _upsert(existing, pcode, province.name, "province",
                         province.division_type.value, None, result)
        seen.add(pcode)
        for ward in Ward.iter_by_province(province.code):
            wcode = ward_code(ward.code)
            _upsert(existing, wcode, ward.name, "commune", ward.division_type.value, parent, result)
            seen.add(wcode)
    for code, unit in existing.items():
        province = unit.province
        in_scope = wanted is None or province.code in wanted
        # Only units that came from the package (two-tier codes) are deactivated.
        if in_scope and code not in seen and unit.active and unit.level != "district":
            unit.active = False
            result.deactivated += 1
    db.session.flush()
    return result


def get_unit(code: str) -> AdministrativeUnit | None:
    """The unit of this code with its parent (pages name both: one statement)."""
    return db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == code)
                             .options(joinedload(AdministrativeUnit.parent)))


def search_units(q: str | None = None, parent: str | None = None, limit: int = 200
                 ) -> list[AdministrativeUnit]:
    """Active units whose name or code matches q (with or without diacritics)."""
    stmt = select(AdministrativeUnit).where(AdministrativeUnit.active.is_(True))
    if parent:
        parent_unit = get_unit(parent)
        if parent_unit is None:
            return []
        stmt = stmt.where(AdministrativeUnit.parent_id == parent_unit.id)
    elif not q:
        stmt = stmt.where(AdministrativeUnit.parent_id.is_(None))
    if q:
        folded = fold_vietnamese(q)
        stmt = stmt.where(or_(AdministrativeUnit.search_name.contains(folded),
                              AdministrativeUnit.code == q.strip()))
    stmt = stmt.order_by(AdministrativeUnit.sort_name).limit(limit)
    return list(db.session.scalars(stmt))


def unit_exists(code: str) -> bool:
    """True for the code of an active unit (the form engine's vn-unit format)."""
    return db.session.scalar(
        select(AdministrativeUnit.id).where(
            AdministrativeUnit.code == code, AdministrativeUnit.active.is_(True)
        )
    ) is not None


def unit_name(code: str) -> str | None:
    """Display name of a unit code, for read-only renderings of forms."""
    return db.session.scalar(select(AdministrativeUnit.name).where(AdministrativeUnit.code == code))


def wire_unit_resolver(app: Flask) -> None:
    """Let the form engine check, name and list units from this database (the unit picker)."""
    set_unit_resolver(unit_exists)
    set_unit_namer(unit_name)
    set_unit_lister(unit_choices, parent_code)


def unit_choices(parent: str | None) -> tuple[tuple[str, str], ...]:
    """(code, name) of the provinces, or of the active units under one, for the unit picker
    (read once per process while no unit changes: app/core/settings_cache.py)."""
    return settings_cache.cached(("unit_choices", parent), lambda: tuple(
        (u.code, u.name) for u in search_units(parent=parent, limit=2000)))


def parent_code(code: str) -> str | None:
    def compute() -> str | None:
        parent = aliased(AdministrativeUnit)
        return db.session.scalar(select(parent.code).join(
            AdministrativeUnit, AdministrativeUnit.parent_id == parent.id)
            .where(AdministrativeUnit.code == code))
    return settings_cache.cached(("unit_parent", code), compute)



def load_units(province_codes: list[str]) -> ImportResult:
    """The administrator loads units for some provinces (or all), audited with the counts."""
    wanted = [c.strip() for c in province_codes if c.strip()]
    bad = [c for c in wanted if not c.isdigit() or len(c) > 2]
    if bad:
        raise Refused([_("Province codes are one or two digits: %(codes)s", codes=", ".join(bad))])
    entry = audit.record("import_units", "AdministrativeUnit", ",".join(wanted) or "all",
                         _("Units loaded from vietnam-provinces"))
    result = import_units(wanted or None)
    entry.changes = {"created": result.created, "updated": result.updated,
                     "deactivated": result.deactivated}
    db.session.flush()
    return result


# --- deleting (refused while anything points to the unit) or deactivating -----------------------

def unit_instead() -> str:
    return _("Deactivate it instead of deleting it (action “Deactivate”): its dossiers keep "
             "working and it is no longer offered for filing.")


def delete_unit(unit: AdministrativeUnit) -> None:
    """Delete a unit nothing points to (dossiers, offerings, officers, subordinate units…)."""
    delete_row(unit, _("the unit “%(name)s”", name=str(unit)), unit_instead())


def set_unit_active(unit: AdministrativeUnit, active: bool) -> None:
    """(De)activate a unit (audited): an inactive unit is not offered for filing."""
    if unit.active == active:
        return
    audit.record("activate" if active else "deactivate", "AdministrativeUnit", unit.id, str(unit),
                 {"active": [unit.active, active]})
    unit.active = active
    db.session.flush()


def has_districts() -> bool:
    """Whether district units are loaded (there are none since 1 July 2025, unless a province
    keeps its old records)."""
    return db.session.scalar(select(AdministrativeUnit.id).where(
        AdministrativeUnit.level == "district").limit(1)) is not None
