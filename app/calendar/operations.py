"""The working calendar, cut-off and supplement policy that apply to a unit."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.calendar.models import SUPPLEMENT_POLICIES, CalendarDay, ProvinceCalendar
from app.extensions import db
from app.workdays import DEFAULT_CUTOFF, NATIONAL_CALENDAR, WorkingCalendar


def _province_settings(unit: Any) -> ProvinceCalendar | None:
    """The settings row of the unit's province, if an administrator made one."""
    if unit is None:
        return None
    province = unit.province
    return db.session.scalar(select(ProvinceCalendar).where(ProvinceCalendar.unit_id == province.id))


def calendar_for(unit: Any) -> WorkingCalendar:
    """National calendar plus the province's extra days off and extra working days."""
    settings = _province_settings(unit)
    if settings is None:
        return NATIONAL_CALENDAR
    days = db.session.scalars(select(CalendarDay).where(CalendarDay.calendar_id == settings.id)).all()
    if not days:
        return NATIONAL_CALENDAR
    return NATIONAL_CALENDAR.with_overrides(
        extra_days_off=[d.day for d in days if not d.working],
        extra_working_days=[d.day for d in days if d.working],
    )


def cutoff_for(unit: Any) -> dt.time:
    """Receipts after this local time count from the next working day."""
    settings = _province_settings(unit)
    if settings is not None and settings.cutoff_hour is not None:
        return dt.time(settings.cutoff_hour, settings.cutoff_minute or 0)
    hour = current_app.config.get("DOSSIER_CUTOFF_HOUR")
    return dt.time(int(hour), 0) if hour is not None else DEFAULT_CUTOFF


def supplement_policy(unit: Any) -> str:
    """'restart' (default) or 'resume': how the clock continues after a supplement."""
    settings = _province_settings(unit)
    if settings is not None and settings.supplement_policy in SUPPLEMENT_POLICIES:
        return settings.supplement_policy
    policy = current_app.config.get("DOSSIER_SUPPLEMENT_POLICY", "restart")
    return policy if policy in SUPPLEMENT_POLICIES else "restart"


def set_province_calendar(province: Any, *, cutoff: dt.time | None = None,
                          policy: str | None = None, days_off: list[dt.date] = (),
                          working_days: list[dt.date] = ()) -> ProvinceCalendar:
    """Create or update a province's settings and add override days (caller commits)."""
    settings = db.session.scalar(select(ProvinceCalendar).where(ProvinceCalendar.unit_id == province.id))
    if settings is None:
        settings = ProvinceCalendar(unit_id=province.id, supplement_policy="restart")
        db.session.add(settings)
    if cutoff is not None:
        settings.cutoff_hour, settings.cutoff_minute = cutoff.hour, cutoff.minute
    if policy is not None:
        if policy not in SUPPLEMENT_POLICIES:
            raise ValueError(f"unknown supplement policy {policy!r}")
        settings.supplement_policy = policy
    known = {d.day: d for d in settings.days}
    for day, working in [(d, False) for d in days_off] + [(d, True) for d in working_days]:
        if day in known:
            known[day].working = working
        else:
            settings.days.append(CalendarDay(day=day, working=working))
    db.session.flush()
    return settings
