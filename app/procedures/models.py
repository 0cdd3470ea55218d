"""Fields (lĩnh vực), procedures, their form versions and unit offerings."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask_appbuilder import Model
from flask_babel import ngettext
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import settings_cache
from app.core.collation import vietnamese_key
from app.core.deletion import describe_references
from app.core.types import JSONType, fold_vietnamese, utcnow

TIERS = ("province", "district", "commune")
LEVELS = (1, 2, 3, 4)


class Field(Model):
    """A field (lĩnh vực) grouping procedures, e.g. Hộ tịch."""

    __tablename__ = "procedure_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    name_en: Mapped[Optional[str]] = mapped_column(String(255))

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__


class Procedure(Model):
    """An administrative procedure (thủ tục hành chính) of the catalogue."""

    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(500))
    name_en: Mapped[Optional[str]] = mapped_column(String(500))
    search_name: Mapped[str] = mapped_column(String(500), default="")
    # Vietnamese alphabetical order of the name (app/core/collation.py), set on save.
    sort_name: Mapped[str] = mapped_column(String(1600), default="")
    field_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("procedure_fields.id", ondelete="NO ACTION"), index=True)
    tier: Mapped[str] = mapped_column(String(20), default="commune")
    level: Mapped[int] = mapped_column(Integer, default=3)
    processing_days: Mapped[int] = mapped_column(Integer, default=0)
    verification_days: Mapped[Optional[int]] = mapped_column(Integer)
    # How many months personal data and attachments are kept after a dossier ends (None: the
    # default RETENTION_MONTHS); `flask retention run` anonymises what is due.
    retention_months: Mapped[Optional[int]] = mapped_column(Integer)
    fee: Mapped[int] = mapped_column(Integer, default=0)
    fee_note: Mapped[Optional[str]] = mapped_column(Text)
    agency: Mapped[Optional[str]] = mapped_column(String(500))
    result: Mapped[Optional[str]] = mapped_column(Text)
    steps: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    legal_basis: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    delivery_methods: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    linked_procedures: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    field: Mapped[Optional[Field]] = relationship()
    versions: Mapped[list["ProcedureVersion"]] = relationship(
        back_populates="procedure", order_by="ProcedureVersion.number",
        cascade="all, delete-orphan",
    )
    templates: Mapped[list["ProcedureTemplate"]] = relationship(
        back_populates="procedure", order_by="ProcedureTemplate.id", cascade="all, delete-orphan",
    )

    @property
    def online_kind(self) -> str:
        """Decree 42/2022 name: 'full' (toàn trình) at level 4, 'partial' (một phần) at 3."""
        return {4: "full", 3: "partial"}.get(self.level, "none")

    @property
    def forwardable(self) -> bool:
        """Not bound by administrative boundaries: received anywhere in the province, then
        forwarded to the competent unit (definition key "forwardable")."""
        return bool((self.extra or {}).get("forwardable"))

    @property
    def afternoon_cutoff(self) -> bool:
        """The 15:00 rule applies (definition key "afternoon_cutoff", docs/deadlines.md)."""
        return bool((self.extra or {}).get("afternoon_cutoff"))

    @property
    def current_version(self) -> Optional["ProcedureVersion"]:
        """The latest published version, the one citizens file under."""
        published = [v for v in self.versions if v.published_at is not None]
        return published[-1] if published else None

    def set_name(self, name: str) -> None:
        """Set the name and its diacritic-free search form."""
        self.name = name
        self.search_name = fold_vietnamese(f"{self.code} {name}")

    def __repr__(self) -> str:
        return f"{self.code} {self.name}"

    __str__ = __repr__


class ProcedureVersion(Model):
    """One version of a procedure's form; frozen once published."""

    __tablename__ = "procedure_versions"
    __table_args__ = (UniqueConstraint("procedure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="NO ACTION"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    schema: Mapped[dict[str, Any]] = mapped_column(JSONType)
    ui_schema: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    required_documents: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))

    procedure: Mapped[Procedure] = relationship(back_populates="versions")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"{self.procedure.code if self.procedure else '?'} v{self.number}"

    __str__ = __repr__


def current_version_id():
    """SQL, correlated to Procedure: the id of its latest published version — the row
    `Procedure.current_version` picks, without loading every version's form."""
    return (select(ProcedureVersion.id)
            .where(ProcedureVersion.procedure_id == Procedure.id,
                   ProcedureVersion.published_at.is_not(None))
            .order_by(ProcedureVersion.number.desc()).limit(1)
            .correlate(Procedure).scalar_subquery())


class PublishedVersionError(Exception):
    """Raised when code tries to change a published version."""


@event.listens_for(ProcedureVersion, "before_update")
def _freeze_published(mapper, connection, target: ProcedureVersion) -> None:
    """A published version never changes: dossiers render with it forever."""
    table = ProcedureVersion.__table__
    row = connection.execute(
        select(table.c.published_at).where(table.c.id == target.id)
    ).first()
    if row is not None and row.published_at is not None:
        raise PublishedVersionError(f"version {target.id} is published and frozen")


class UnitProcedure(Model):
    """A procedure offered at a unit, with optional per-unit overrides."""

    __tablename__ = "unit_procedures"
    __table_args__ = (UniqueConstraint("unit_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), index=True)
    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedures.id", ondelete="NO ACTION"), index=True)
    fee_override: Mapped[Optional[int]] = mapped_column(Integer)
    contact_override: Mapped[Optional[str]] = mapped_column(Text)
    office_hours_override: Mapped[Optional[str]] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit = relationship("AdministrativeUnit")
    procedure: Mapped[Procedure] = relationship()

    @property
    def fee(self) -> int:
        return self.fee_override if self.fee_override is not None else self.procedure.fee

    def __repr__(self) -> str:
        return f"{self.unit} — {self.procedure}"

    __str__ = __repr__


class ProcedureTemplate(Model):
    """A downloadable form template (mẫu đơn, tờ khai) of a procedure: level 2."""

    __tablename__ = "procedure_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedures.id", ondelete="CASCADE"),
                                              index=True)
    title: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    procedure: Mapped[Procedure] = relationship(back_populates="templates")

    def __repr__(self) -> str:
        return f"{self.title} ({self.filename})"

    __str__ = __repr__


@event.listens_for(Procedure, "before_insert")
@event.listens_for(Procedure, "before_update")
def _sort_name(_mapper, _connection, procedure: Procedure) -> None:
    procedure.sort_name = vietnamese_key(procedure.name)


describe_references("unit_procedures", lambda n: ngettext(
    "offered at %(num)d unit", "offered at %(num)d units", n), target="procedures")
describe_references("unit_procedures", lambda n: ngettext(
    "%(num)d procedure offered at the unit", "%(num)d procedures offered at the unit", n),
    target="administrative_units")
describe_references("procedures", lambda n: ngettext(
    "%(num)d procedure of the field", "%(num)d procedures of the field", n),
    target="procedure_fields")

# The catalogue's pages are kept per process under the settings revision (operations.catalogue).
settings_cache.watch(Field, Procedure, UnitProcedure)
