"""Fees a province sets without code: the procedure's fee, a reduction for online filing and the
postal charge, per procedure or for every procedure of the province (administrators, audited)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

from flask_appbuilder import Model
from flask_babel import ngettext
from sqlalchemy import Date, DateTime, ForeignKey, Integer, UniqueConstraint, and_, literal, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import settings_cache
from app.core.deletion import describe_references
from app.core.types import utcnow
from app.extensions import db
from app.procedures.models import UnitProcedure


class FeeSetting(Model):
    """One province's fee settings; `procedure_id` None = every procedure of the province."""

    __tablename__ = "fee_settings"
    __table_args__ = (UniqueConstraint("province_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), index=True)
    procedure_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("procedures.id", ondelete="NO ACTION"), index=True)
    # None everywhere means "not set here": the province-wide row, then the definition decide.
    fee: Mapped[Optional[int]] = mapped_column(Integer)
    online_reduction_percent: Mapped[Optional[int]] = mapped_column(Integer)
    reduction_until: Mapped[Optional[dt.date]] = mapped_column(Date)
    postal_charge: Mapped[Optional[int]] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    onupdate=utcnow)

    province = relationship("AdministrativeUnit")
    procedure = relationship("Procedure")

    def __repr__(self) -> str:
        return f"{self.province_id}/{self.procedure_id or '*'}"


@dataclass(frozen=True)
class ProvinceFees:
    """The settings that apply to one procedure in one province."""

    fee: int | None = None  # None: the definition's (or the unit offering's) fee
    online_reduction_percent: int = 0
    reduction_until: dt.date | None = None
    postal_charge: int = 0

    def reduction_on(self, day: dt.date) -> int:
        """The reduction in force on a day (0 once `reduction_until` has passed)."""
        if self.reduction_until is not None and day > self.reduction_until:
            return 0
        return self.online_reduction_percent


def settings_rows(province_id: int) -> list[FeeSetting]:
    return list(db.session.scalars(select(FeeSetting).where(FeeSetting.province_id == province_id)))


def province_fees(unit: Any, procedure_id: int | None) -> ProvinceFees:
    """The procedure's row of the unit's province over its province-wide row."""
    if unit is None:
        return ProvinceFees()
    rows = db.session.scalars(select(FeeSetting).where(_applying(unit, procedure_id)))
    return _combined(list(rows))


def fee_inputs(unit: Any, procedure_id: int | None) -> tuple[ProvinceFees, int | None]:
    """The province's settings for a procedure and the unit offering's own fee, in one statement
    (a dossier's fee reads both)."""
    override = select(UnitProcedure.fee_override).where(
        UnitProcedure.unit_id == getattr(unit, "id", None),
        UnitProcedure.procedure_id == procedure_id).scalar_subquery()
    if unit is None:
        return ProvinceFees(), db.session.scalar(select(override))
    one = select(literal(1).label("one")).subquery()
    rows = db.session.execute(select(override.label("override"), FeeSetting).select_from(one)
                              .outerjoin(FeeSetting, _applying(unit, procedure_id))).all()
    return _combined([row[1] for row in rows if row[1] is not None]), rows[0][0]


settings_cache.watch(FeeSetting, UnitProcedure)


def _applying(unit: Any, procedure_id: int | None):
    return and_(FeeSetting.province_id == unit.province.id,
                (FeeSetting.procedure_id == procedure_id) | FeeSetting.procedure_id.is_(None))


def _combined(rows: list[FeeSetting]) -> ProvinceFees:
    own = wide = None
    for row in rows:
        if row.procedure_id is None:
            wide = row
        else:
            own = row

    def pick(name: str) -> Any:
        for row in (own, wide):
            value = getattr(row, name, None) if row is not None else None
            if value is not None:
                return value
        return None

    percent = pick("online_reduction_percent")
    until = own.reduction_until if own is not None and own.online_reduction_percent is not None \
        else (wide.reduction_until if wide is not None else None)
    return ProvinceFees(fee=own.fee if own is not None else None,
                        online_reduction_percent=percent or 0, reduction_until=until,
                        postal_charge=pick("postal_charge") or 0)


describe_references("fee_settings", lambda n: ngettext(
    "%(num)d province's fee setting", "%(num)d provinces' fee settings", n), target="procedures")
describe_references("fee_settings", lambda n: ngettext(
    "%(num)d fee setting of the province", "%(num)d fee settings of the province", n),
    target="administrative_units")
