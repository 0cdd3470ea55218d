"""The working calendar, cut-off and supplement policy that apply to a unit."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.calendar.models import SUPPLEMENT_POLICIES, CalendarDay, ProvinceCalendar
from app.core import audit
from app.core.refusal import Refused
from app.extensions import db
from app.workdays import DEFAULT_CUTOFF, NATIONAL_CALENDAR, WorkingCalendar


def _province_settings(unit: Any) -> ProvinceCalendar | None:
    """The settings row of the unit's province, if an administrator made one."""
    if unit is None:
        return None
    province = unit.province
    return db.session.scalar(select(ProvinceCalendar).where(ProvinceCalendar.unit_id == province.id))


def calendar_for(unit: Any) -> WorkingCalendar:
    """National calendar plus the province's extra days off and extra working days (read once
    per session, i.e. per request or command: a statistics rebuild asks for every dossier)."""
    if unit is None:
        return NATIONAL_CALENDAR
    cache = db.session.info.setdefault("calendars", {})
    key = unit.province.id
    if key not in cache:
        cache[key] = _calendar_of(unit)
    return cache[key]


def _forget_calendars() -> None:
    db.session.info.pop("calendars", None)


def _calendar_of(unit: Any) -> WorkingCalendar:
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
    _forget_calendars()
    return settings


# --- Administrators' changes (audited) -----------------------------------------------------

def parse_days(text: str, label: str) -> tuple[list[tuple[dt.date, str]], list[str]]:
    """Lines "dd/mm/yyyy note" → (day, note) pairs, with localized problems."""
    days, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        first, _sep, note = line.partition(" ")
        try:
            day = dt.datetime.strptime(first, "%d/%m/%Y").date()
        except ValueError:
            problems.append(_("%(label)s, line %(n)d: write the date as dd/mm/yyyy.",
                              label=label, n=number))
            continue
        days.append((day, note.strip()[:255]))
    return days, problems


def save_calendar(province: Any, cutoff: str, policy: str, days_off_text: str,
                  working_text: str) -> Any:
    """Replace a province's calendar settings and override days in one transaction."""
    problems = []
    cut = None
    if cutoff.strip():
        try:
            cut = dt.datetime.strptime(cutoff.strip(), "%H:%M").time()
        except ValueError:
            problems.append(_("Write the cut-off time as HH:MM, for example 15:00."))
    if policy not in SUPPLEMENT_POLICIES:
        problems.append(_("Choose how the clock continues after a supplement."))
    days_off, more = parse_days(days_off_text, _("Extra days off"))
    problems += more
    working, more = parse_days(working_text, _("Worked days"))
    problems += more
    for day, _note in days_off:
        if not NATIONAL_CALENDAR.is_working_day(day):
            problems.append(_("%(d)s is already a day off.", d=day.strftime("%d/%m/%Y")))
    for day, _note in working:
        if NATIONAL_CALENDAR.is_working_day(day):
            problems.append(_("%(d)s is already a working day.", d=day.strftime("%d/%m/%Y")))
    if {d for d, _n in days_off} & {d for d, _n in working}:
        problems.append(_("A day cannot be both a day off and a worked day."))
    if problems:
        raise Refused(problems)
    settings = set_province_calendar(province, cutoff=cut, policy=policy)
    if cut is None:
        settings.cutoff_hour, settings.cutoff_minute = None, 0
    wanted = {d: (False, n) for d, n in days_off} | {d: (True, n) for d, n in working}
    for existing in list(settings.days):
        if existing.day not in wanted:
            settings.days.remove(existing)
    known = {d.day: d for d in settings.days}
    for day, (is_working, note) in sorted(wanted.items()):
        row = known.get(day) or CalendarDay(day=day)
        row.working, row.note = is_working, note
        if day not in known:
            settings.days.append(row)
    audit.record("update", "ProvinceCalendar", province.code, province.name, {
        "cutoff": cutoff, "policy": policy,
        "days_off": [d.isoformat() for d, _n in days_off],
        "worked_days": [d.isoformat() for d, _n in working]})
    db.session.flush()
    _forget_calendars()
    return settings
