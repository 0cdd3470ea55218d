"""Administrative changes to notification texts and province working calendars (audited)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.admin_tools.operations import AdminError
from app.core import audit
from app.extensions import db
from app.notifications.texts import (
    EVENTS,
    NOTIFICATION_CHANNELS,
    NOTIFICATION_LOCALES,
    SMS_MAX,
    NotificationTemplate,
    placeholder_problems,
)


def save_notification_text(template: NotificationTemplate | None, values: dict[str, Any]
                           ) -> NotificationTemplate:
    """Create or change a text; raises AdminError with problems by field name."""
    from app.units.operations import get_unit

    errors: dict[str, list[str]] = {}
    event, channel, locale = values.get("event"), values.get("channel"), values.get("locale")
    if event not in EVENTS:
        errors.setdefault("event", []).append(_("Choose an event."))
    if channel not in NOTIFICATION_CHANNELS:
        errors.setdefault("channel", []).append(_("Choose email or SMS."))
    if locale not in NOTIFICATION_LOCALES:
        errors.setdefault("locale", []).append(_("Choose Vietnamese or English."))
    province = None
    if values.get("province"):
        province = get_unit(values["province"])
        if province is None or province.level != "province":
            errors.setdefault("province", []).append(_("Choose a province, or none for all."))
    subject = (values.get("subject") or "").strip()
    body = (values.get("body") or "").strip()
    if channel == "email" and not subject:
        errors.setdefault("subject", []).append(_("An email needs a subject."))
    if len(subject) > 255:
        errors.setdefault("subject", []).append(_("At most 255 characters."))
    if not body:
        errors.setdefault("body", []).append(_("Write the message."))
    if channel == "sms" and len(body) > SMS_MAX:
        errors.setdefault("body", []).append(_("An SMS can hold at most %(n)d characters.", n=SMS_MAX))
    for name, text in (("subject", subject), ("body", body)):
        errors.setdefault(name, []).extend(placeholder_problems(text))
    errors = {k: v for k, v in errors.items() if v}
    if not errors:
        clash = db.session.scalar(select(NotificationTemplate).where(
            NotificationTemplate.event == event, NotificationTemplate.channel == channel,
            NotificationTemplate.locale == locale,
            NotificationTemplate.province_id.is_(None) if province is None
            else NotificationTemplate.province_id == province.id))
        if clash is not None and clash is not template:
            errors["event"] = [_("A text for this event, channel, language and province exists; "
                                 "edit that one.")]
    if errors:
        raise AdminError([m for ms in errors.values() for m in ms], errors)
    creating = template is None
    before = audit.snapshot(template) if template else {}
    template = template or NotificationTemplate()
    template.event, template.channel, template.locale = event, channel, locale
    template.province_id = province.id if province else None
    template.subject, template.body = subject, body
    template.active = bool(values.get("active", True))
    db.session.add(template)
    db.session.flush()
    after = audit.snapshot(template)
    audit.record("create" if creating else "update", "NotificationTemplate", template.id,
                 f"{event}/{channel}/{locale}",
                 {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v})
    db.session.commit()
    return template


def delete_notification_text(template: NotificationTemplate) -> None:
    audit.record("delete", "NotificationTemplate", template.id, str(template),
                 audit.snapshot(template))
    db.session.delete(template)
    db.session.commit()


# --- Working calendar -----------------------------------------------------------------------

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
    from app.calendar.models import SUPPLEMENT_POLICIES, CalendarDay
    from app.calendar.operations import set_province_calendar
    from app.workdays import NATIONAL_CALENDAR

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
        raise AdminError(problems)
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
    db.session.commit()
    return settings
