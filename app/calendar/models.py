"""A province's deviations from the national working calendar, set by an administrator."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_appbuilder import Model
from flask_babel import ngettext
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import settings_cache
from app.core.deletion import describe_references

SUPPLEMENT_POLICIES = ("restart", "resume")


class ProvinceCalendar(Model):
    """Settings of one province: cut-off time and the clock policy after a supplement."""

    __tablename__ = "province_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), unique=True)
    # None = the application default (DOSSIER_CUTOFF_HOUR, 15:00).
    cutoff_hour: Mapped[Optional[int]] = mapped_column(Integer)
    cutoff_minute: Mapped[int] = mapped_column(Integer, default=0)
    supplement_policy: Mapped[str] = mapped_column(String(10), default="restart")

    unit = relationship("AdministrativeUnit")
    days: Mapped[list["CalendarDay"]] = relationship(
        back_populates="calendar", order_by="CalendarDay.day", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"{self.unit}"


class CalendarDay(Model):
    """One day that differs from the national calendar in this province."""

    __tablename__ = "calendar_days"
    __table_args__ = (UniqueConstraint("calendar_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("province_calendars.id", ondelete="NO ACTION"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    # True: an extra working day (e.g. a Saturday worked in lieu); False: an extra day off.
    working: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(255), default="")

    calendar: Mapped[ProvinceCalendar] = relationship(back_populates="days")


describe_references("province_calendars", lambda n: ngettext(
    "the province's working calendar", "the province's working calendars", n),
    target="administrative_units")

# Calendars are kept per process by unit (app/dossiers/effects.unit_calendar).
settings_cache.watch(ProvinceCalendar, CalendarDay)
