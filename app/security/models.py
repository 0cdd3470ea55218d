"""Links from FAB users to our domain: officer units and citizen profiles."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_appbuilder import Model
from flask_babel import ngettext
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import settings_cache
from app.core.deletion import describe_references


class UserUnit(Model):
    """An officer's membership of a unit's one-stop office."""

    __tablename__ = "user_units"

    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("administrative_units.id", ondelete="NO ACTION"), primary_key=True, index=True
    )

    user = relationship("User")
    unit = relationship("AdministrativeUnit")


class UserProfile(Model):
    """A citizen's contact and identity details used to prefill forms."""

    __tablename__ = "user_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    phone: Mapped[Optional[str]] = mapped_column(String(20))
    citizen_id: Mapped[Optional[str]] = mapped_column(String(12), index=True)
    date_of_birth: Mapped[Optional[dt.date]] = mapped_column(Date)
    gender: Mapped[Optional[str]] = mapped_column(String(10))
    address: Mapped[Optional[str]] = mapped_column(String(500))
    email_verified_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    # Sessions and tokens carry it; logout, a password change and deactivation bump it.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    user = relationship("User")


describe_references("user_units", lambda n: ngettext(
    "%(num)d officer working at the unit", "%(num)d officers working at the unit", n),
    target="administrative_units")

# Which units an officer works at is kept per process under the settings revision
# (app/dossiers/filters.officer_unit_ids).
settings_cache.watch(UserUnit)
