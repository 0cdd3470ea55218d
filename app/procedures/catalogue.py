"""The citizen's catalogue: which procedures a unit offers, searched and paged.

What administrators configure, so each worker keeps the answers under the settings revision
(app/core/settings_cache.py): a visit costs the revision's read, not the catalogue's joins.
The catalogue's rules of change (import, publish, offer) are in `operations`.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, load_only

from app.core import settings_cache
from app.core.collation import vietnamese_key
from app.core.types import fold_vietnamese
from app.extensions import db
from app.procedures.models import Field, Procedure, UnitProcedure
from app.units.models import AdministrativeUnit


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
    return stmt.order_by(Procedure.sort_name, Procedure.code)


SUMMARY_COLUMNS = (Procedure.code, Procedure.name, Procedure.name_en, Procedure.field_id,
                   Procedure.tier, Procedure.level, Procedure.processing_days, Procedure.fee)


@dataclass(frozen=True)
class ProcedureSummary:
    """What a catalogue lists of a procedure: plain values, kept between requests."""

    code: str
    name: str
    name_en: str | None
    field: str | None
    tier: str
    level: int
    processing_days: int
    fee: int

    @classmethod
    def of(cls, p: Procedure) -> "ProcedureSummary":
        return cls(p.code, p.name, p.name_en, p.field.name if p.field else None, p.tier,
                   p.level, p.processing_days, p.fee)

    @property
    def online_kind(self) -> str:
        return {4: "full", 3: "partial"}.get(self.level, "none")


def catalogue(unit_code: str | None = None, q: str | None = None, field: str | None = None,
              level: int | None = None, tier: str | None = None, page: int = 1,
              size: int = 10) -> tuple[tuple[ProcedureSummary, ...], int]:
    """One page of the active catalogue and its total, as search_procedures filters it.

    The catalogue is what administrators configure: each worker computes a page once per
    settings revision (app/core/settings_cache.py), so a citizen's visit costs the revision's
    read, not the catalogue's joins."""
    words = tuple(fold_vietnamese(q).split()) if q else ()

    def compute() -> tuple[tuple[ProcedureSummary, ...], int]:
        stmt = search_procedures(unit_code, " ".join(words) or None, field, level, tier)
        items, total = catalogue_page(stmt, page, size)
        return tuple(ProcedureSummary.of(p) for p in items), total

    return settings_cache.cached(("catalogue", unit_code, words, field, level, tier, page, size),
                                 compute)


def unit_fields(unit_id: int) -> tuple[tuple[str, str | None], ...]:
    """(name, English name) of the fields a unit offers procedures in, in Vietnamese order."""
    def compute() -> tuple[tuple[str, str | None], ...]:
        fields = db.session.scalars(
            select(Field).join(Procedure, Procedure.field_id == Field.id)
            .join(UnitProcedure, UnitProcedure.procedure_id == Procedure.id)
            .where(UnitProcedure.unit_id == unit_id, UnitProcedure.active.is_(True),
                   Procedure.active.is_(True)).distinct())
        return tuple(sorted(((f.name, f.name_en) for f in fields),
                            key=lambda f: vietnamese_key(f[0])))

    return settings_cache.cached(("unit_fields", unit_id), compute)


def has_district_procedures() -> bool:
    """Districts were abolished on 1 July 2025: only older data still has their procedures."""
    return settings_cache.cached("has_district_procedures", lambda: db.session.scalar(
        select(Procedure.id).where(Procedure.tier == "district", Procedure.active.is_(True))
        .limit(1)) is not None)


def catalogue_page(stmt, page: int, size: int) -> tuple[list[Procedure], int]:
    """One page and the total in one query (a window count), the fields joined, not lazy."""
    loaded = stmt.options(load_only(*SUMMARY_COLUMNS), joinedload(Procedure.field))
    rows = db.session.execute(loaded.add_columns(func.count().over())
                              .limit(size).offset((page - 1) * size)).all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    if page == 1:
        return [], 0
    return [], db.session.scalar(select(func.count()).select_from(
        stmt.order_by(None).subquery()))
