"""The effects of the lifecycle table: timestamps, the clock, result, return, apology (the fee's
and payment's are in payment_rules.py).

Each is registered by name (`lifecycle.effect`) and runs in the order the table lists, inside
the atomic block of `operations.perform_action`; raising a DossierError undoes the whole action.
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from flask import current_app
from flask_babel import gettext as _

from app.calendar import calendar_for, cutoff_for, supplement_policy
from app.core import settings_cache
from app.core.moments import local
from app.core.types import utcnow
from app.dossiers import lifecycle
from app.dossiers.errors import field_error
from app.dossiers.lifecycle import ActionContext
from app.dossiers.models import Dossier
from app.dossiers.results import attach_result as store_result
from app.extensions import db
from app.security.scope import unit_officers
from app.units.models import AdministrativeUnit
from app.workdays import (
    LOCAL_TZ,
    NATIONAL_CALENDAR,
    due_date,
    due_date_after_supplement,
    remaining_working_days,
)


def now() -> dt.datetime:
    """The current time; tests replace it to act at known dates."""
    return utcnow()


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date in Vietnam of an aware or naive-UTC moment."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LOCAL_TZ).date()


def processing_days(dossier: Dossier, verification: bool = False) -> int:
    """The procedure's working days (the longer verification time when it applies)."""
    procedure = dossier.procedure
    if verification and procedure.verification_days:
        return procedure.verification_days
    return procedure.processing_days or 0


def remaining_days(dossier: Dossier, today: dt.date | None = None) -> int | None:
    """Working days left (negative = overdue); None while not received or clock stopped."""
    if dossier.due_date is None or dossier.clock_stopped_at is not None:
        return None
    today = today or local_date(now())
    return remaining_working_days(dossier.due_date, today, unit_calendar(dossier.unit_id))


def unit_calendar(unit_id: int | None):
    """calendar_for the unit of this id, kept per process while no administrator changes a
    calendar or a unit (app/core/settings_cache): a list of dossiers reads nothing for it."""
    if unit_id is None:
        return NATIONAL_CALENDAR
    return settings_cache.cached(("unit_calendar", unit_id),
                                 lambda: calendar_for(db.session.get(AdministrativeUnit, unit_id)))


def returned_on_time(dossier: Dossier, moment: dt.datetime) -> bool:
    """On time = returned by the due date and never apologised for (Decree 118/2025)."""
    return (dossier.apologized_at is None and dossier.due_date is not None
            and local_date(moment) <= dossier.due_date)


@lifecycle.effect("stamp_submission")
def stamp_submission(dossier: Dossier, ctx: ActionContext) -> None:
    """Keep only the values of shown fields; stamp the first submission, name a resubmission."""
    if "pruned" in ctx.scratch:
        dossier.data = ctx.scratch["pruned"]
    if dossier.submitted_at is None:
        dossier.submitted_at = ctx.moment
    else:
        ctx.event = "resubmitted"


@lifecycle.effect("quiet_unless_submitted")
def quiet_unless_submitted(dossier: Dossier, ctx: ActionContext) -> None:
    """Withdrawing a draft nobody saw is not news: no mail, no SMS."""
    if dossier.submitted_at is None:
        ctx.event = None


@lifecycle.effect("start_clock")
def start_clock(dossier: Dossier, ctx: ActionContext) -> None:
    """Received time and due date (or the clock resumed after a supplement)."""
    unit = dossier.unit
    days = processing_days(dossier, bool(ctx.params.get("verification")))
    calendar, cutoff = calendar_for(unit), receipt_cutoff(dossier)
    if dossier.received_at is None:
        dossier.received_at = ctx.moment
    if dossier.clock_stopped_at is not None and dossier.remaining_days is not None:
        dossier.due_date = due_date_after_supplement(
            ctx.moment, days, policy=supplement_policy(unit), remaining_days=dossier.remaining_days,
            cutoff=cutoff, calendar=calendar)
    else:
        dossier.due_date = due_date(ctx.moment, days, cutoff=cutoff, calendar=calendar)
    parent = dossier.parent
    if parent is not None and parent.due_date is not None:  # a linked part is never later
        dossier.due_date = min(dossier.due_date, parent.due_date)
    dossier.due_at = appointment(dossier.due_date, ctx.moment)
    if parent is not None and parent.due_at is not None and parent.due_date == dossier.due_date:
        dossier.due_at = min(dossier.due_at, local(parent.due_at))  # SQLite drops the zone (UTC)
    dossier.clock_stopped_at = None
    dossier.remaining_days = None


def has_afternoon_cutoff(procedure: Any) -> bool:
    """Where the law puts the 15:00 rule (definition key "afternoon_cutoff"): same-day
    procedures that cannot be settled at once, the linked bundles (docs/deadlines.md)."""
    return bool(procedure.afternoon_cutoff)


def receipt_cutoff(dossier: Dossier) -> dt.time:
    """The time after which a receipt counts from the next working day: the province's cut-off
    for procedures with the afternoon rule, none (the end of the day) for the others."""
    return cutoff_for(dossier.unit) if has_afternoon_cutoff(dossier.procedure) else dt.time.max


def appointment_time() -> dt.time:
    """The hour of the appointment on the due date (DOSSIER_APPOINTMENT_TIME, "HH:MM")."""
    text = str(current_app.config.get("DOSSIER_APPOINTMENT_TIME") or "16:00")
    try:
        return dt.datetime.strptime(text, "%H:%M").time()
    except ValueError:
        return dt.time(16, 0)


def appointment(due: dt.date | None, received: dt.datetime) -> dt.datetime | None:
    """The appointment on the due date at the office's hour; a same-day result received after
    that hour is due half an hour after receipt (never before it)."""
    if due is None:
        return None
    moment = dt.datetime.combine(due, appointment_time(), LOCAL_TZ)
    received_local = (received if received.tzinfo else received.replace(tzinfo=dt.timezone.utc)
                      ).astimezone(LOCAL_TZ)
    if received_local.date() == due and received_local >= moment:
        moment = (received_local + dt.timedelta(minutes=30)).replace(second=0, microsecond=0)
    return moment.astimezone(dt.timezone.utc)


@lifecycle.effect("stop_clock")
def stop_clock(dossier: Dossier, ctx: ActionContext) -> None:
    """Stop the clock, keeping the working days left, and list what is missing."""
    if dossier.clock_stopped_at is None and dossier.due_date is not None:
        dossier.remaining_days = remaining_days(dossier, local_date(ctx.moment))
    dossier.clock_stopped_at = ctx.moment
    dossier.supplement_items = [i.strip() for i in ctx.params.get("items", []) if i.strip()]
    dossier.supplement_rounds = (dossier.supplement_rounds or 0) + 1
    listed = "; ".join(dossier.supplement_items)
    if listed:
        ctx.notice["note"] = f"{ctx.note} ({listed})"


@lifecycle.effect("attach_result")
def attach_result(dossier: Dossier, ctx: ActionContext) -> None:
    """Keep the uploaded result PDF, or generate a result notice."""
    store_result(dossier, ctx.user, ctx.params.get("result_file"),
                 ctx.params.get("result_filename", ""), ctx.params.get("result_text", ""))


@lifecycle.effect("close_clock")
def close_clock(dossier: Dossier, ctx: ActionContext) -> None:
    """Hand the result over: how, when, and whether it was on time."""
    method = ctx.params.get("method") or dossier.delivery_method or "office"
    tracking = (ctx.params.get("tracking_number") or "").strip()
    if method == "post" and not tracking:
        raise field_error("/tracking_number", _("Enter the postal tracking number."))
    if method == "online" and ctx.actor == lifecycle.OFFICER and not dossier.results:
        raise field_error("/method", _("Attach the electronic result (approve with a PDF) before "
                                       "returning it online."))
    dossier.return_method = method
    dossier.tracking_number = tracking or None
    dossier.completed_at = ctx.moment
    dossier.on_time = returned_on_time(dossier, ctx.moment)
    if dossier.tracking_number:
        ctx.notice["tracking_number"] = dossier.tracking_number
        ctx.notice["tracking_url"] = tracking_url(dossier.tracking_number)
        ctx.notice["carrier"] = current_app.config.get("POSTAL_CARRIER", "")


def tracking_url(number: str | None) -> str:
    """The carrier's page following a postal item (POSTAL_TRACKING_URL, {number} replaced)."""
    template = current_app.config.get("POSTAL_TRACKING_URL") or ""
    return template.replace("{number}", quote(number or "", safe="")) if number and template else ""


@lifecycle.effect("move_due_date")
def move_due_date(dossier: Dossier, ctx: ActionContext) -> None:
    """Set the new appointment date; the dossier is counted late from now on."""
    new = dt.date.fromisoformat(ctx.params["new_due_date"])
    today = local_date(ctx.moment)
    if new <= today or (dossier.due_date is not None and new <= dossier.due_date):
        raise field_error("/new_due_date",
                          _("The new date must be later than today and than the current due date."))
    if not calendar_for(dossier.unit).is_working_day(new):
        raise field_error("/new_due_date", _("The new date must be a working day."))
    if dossier.original_due_date is None:
        dossier.original_due_date = dossier.due_date
    dossier.apologized_at = ctx.moment
    dossier.due_date = new
    dossier.due_at = appointment(new, ctx.moment)


@lifecycle.effect("assign")
def assign(dossier: Dossier, ctx: ActionContext) -> None:
    """Give the dossier to an active officer of its unit (by user id or user name)."""
    user_model = current_app.appbuilder.sm.user_model
    value: Any = str(ctx.params["assignee"]).strip()
    stmt = unit_officers(dossier.unit_id)
    stmt = stmt.where(user_model.id == int(value)) if value.isdigit() else \
        stmt.where(user_model.username == value)
    officer = db.session.scalar(stmt) if value else None
    if officer is None or officer.id == dossier.applicant_id:
        raise field_error("/assignee", _("Choose an officer of this unit."))
    dossier.assignee_id = officer.id
