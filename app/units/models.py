"""Administrative units: province -> (district ->) commune/ward."""
from __future__ import annotations

from typing import Optional

from flask import url_for
from flask_appbuilder import Model
from flask_babel import ngettext
from markupsafe import Markup, escape
from sqlalchemy import Boolean, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import settings_cache
from app.core.collation import vietnamese_key, without_division
from app.core.deletion import describe_references
from app.core.types import fold_vietnamese

UNIT_LEVELS = ("province", "district", "commune")
DEFAULT_CENTRE = "Trung tâm Phục vụ hành chính công"
DIVISION_PREFIXES = ("Thành phố", "Thị trấn", "Đặc khu", "Phường", "Tỉnh", "Huyện", "Quận",
                     "Thị xã", "Xã")


class AdministrativeUnit(Model):
    """An administrative unit with its one-stop office contact."""

    __tablename__ = "administrative_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(255))
    search_name: Mapped[str] = mapped_column(String(255), default="", index=True)
    # Vietnamese alphabetical order of the proper name (app/core/collation.py), set on save.
    sort_name: Mapped[str] = mapped_column(String(800), default="", index=True)
    level: Mapped[str] = mapped_column(String(20), index=True)
    division_type: Mapped[str] = mapped_column(String(50), default="")
    parent_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    address: Mapped[Optional[str]] = mapped_column(String(500))
    phone: Mapped[Optional[str]] = mapped_column(String(50))
    email: Mapped[Optional[str]] = mapped_column(String(255))
    office_hours: Mapped[Optional[str]] = mapped_column(Text)
    # What the unit calls its one-stop centre; empty = the default name (`centre`).
    centre_name: Mapped[Optional[str]] = mapped_column(String(255))

    parent: Mapped[Optional["AdministrativeUnit"]] = relationship(
        remote_side="AdministrativeUnit.id", back_populates="children"
    )
    # passive: a unit with subordinate units is never deleted (app/core/deletion.py), not
    # orphaning them.
    children: Mapped[list["AdministrativeUnit"]] = relationship(
        back_populates="parent", order_by="AdministrativeUnit.sort_name", passive_deletes="all"
    )

    def set_name(self, name: str) -> None:
        """Set the name and its diacritic-free search form."""
        self.name = name
        self.search_name = fold_vietnamese(name)

    @property
    def province(self) -> "AdministrativeUnit":
        """The province this unit belongs to (itself for a province)."""
        unit = self
        while unit.parent is not None:
            unit = unit.parent
        return unit

    @property
    def running_name(self) -> str:
        """The name as running text writes it: "xã Lộc Tấn", the division in lower case."""
        for prefix in DIVISION_PREFIXES:
            if self.name.startswith(prefix + " "):
                return prefix.lower() + self.name[len(prefix):]
        return self.name

    @property
    def centre(self) -> str:
        """The one-stop centre's name: the unit's own, else "Trung tâm Phục vụ hành chính công
        xã …" (Decree 118/2025; the commune's centre since 1 July 2025)."""
        return (self.centre_name or "").strip() or f"{DEFAULT_CENTRE} {self.running_name}"

    def subunits(self):
        """Link to the list of this unit's children, for browsing the tree in the admin."""
        if self.level == "commune":
            return ""
        url = url_for("UnitModelView.list", _flt_0_parent=self.id)
        return Markup('<a href="{}">{}</a>').format(url, escape("⇣ " + str(len(self.children))))

    def __repr__(self) -> str:
        return f"{self.name} ({self.code})"

    __str__ = __repr__


@event.listens_for(AdministrativeUnit, "before_insert")
@event.listens_for(AdministrativeUnit, "before_update")
def _sort_name(_mapper, _connection, unit: AdministrativeUnit) -> None:
    unit.sort_name = vietnamese_key(without_division(unit.name or "", unit.division_type))


describe_references("administrative_units", lambda n: ngettext(
    "%(num)d subordinate unit", "%(num)d subordinate units", n), target="administrative_units")

# A unit's province decides its calendar, kept per process (app/dossiers/effects.unit_calendar).
settings_cache.watch(AdministrativeUnit)
