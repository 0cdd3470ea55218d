"""Side effects of officer actions: timestamps, the clock, payment, result, notifications.

Each function is registered on the state machine (`lifecycle.on`) and runs inside the
transaction of `operations.perform_action`; raising a DossierError rolls everything back.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import gettext as _

from app.calendar import calendar_for, cutoff_for, supplement_policy
from app.core.types import utcnow
from app.dossiers import lifecycle
from app.dossiers.errors import field_error
from app.dossiers.models import DELIVERY_METHODS, Dossier
from app.extensions import db
from app.notifications.operations import notify_dossier_event
from app.workdays import LOCAL_TZ, due_date, due_date_after_supplement, remaining_working_days


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
    return remaining_working_days(dossier.due_date, today, calendar_for(dossier.unit))


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in {"1", "true", "yes", "on"}


@lifecycle.on("receive")
def receive(dossier: Dossier, *, user: Any, note: str | None, verification: Any = False,
            **_params: Any) -> None:
    """Start (or continue) the clock: received time and due date, then tell the citizen."""
    moment = now()
    unit = dossier.unit
    days = processing_days(dossier, _truthy(verification))
    calendar, cutoff = calendar_for(unit), cutoff_for(unit)
    if dossier.received_at is None:
        dossier.received_at = moment
    if dossier.clock_stopped_at is not None and dossier.remaining_days is not None:
        dossier.due_date = due_date_after_supplement(
            moment, days, policy=supplement_policy(unit), remaining_days=dossier.remaining_days,
            cutoff=cutoff, calendar=calendar)
    else:
        dossier.due_date = due_date(moment, days, cutoff=cutoff, calendar=calendar)
    dossier.clock_stopped_at = None
    dossier.remaining_days = None
    notify_dossier_event(dossier, "received", note=note)


def _items(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)):
        return []
    return [str(v).strip()[:500] for v in value if str(v).strip()][:50]


@lifecycle.on("request_supplement")
def request_supplement(dossier: Dossier, *, user: Any, note: str | None, items: Any = (),
                       **_params: Any) -> None:
    """Stop the clock, keeping the working days left, and list what is missing."""
    moment = now()
    if dossier.clock_stopped_at is None and dossier.due_date is not None:
        dossier.remaining_days = remaining_days(dossier, local_date(moment))
    dossier.clock_stopped_at = moment
    dossier.supplement_items = _items(items)
    dossier.supplement_rounds = (dossier.supplement_rounds or 0) + 1
    listed = "; ".join(dossier.supplement_items)
    notify_dossier_event(dossier, "needs_supplement",
                         note=f"{note} ({listed})" if listed else note)


@lifecycle.on("reject")
def reject(dossier: Dossier, *, user: Any, note: str | None, **_params: Any) -> None:
    notify_dossier_event(dossier, "rejected", note=note)


@lifecycle.on("refuse")
def refuse(dossier: Dossier, *, user: Any, note: str | None, **_params: Any) -> None:
    notify_dossier_event(dossier, "refused", note=note)


@lifecycle.on("stop")
def stop(dossier: Dossier, *, user: Any, note: str | None, **_params: Any) -> None:
    notify_dossier_event(dossier, "stopped", note=note)


@lifecycle.on("request_payment")
def request_payment(dossier: Dossier, *, user: Any, note: str | None, amount: Any = None,
                    **_params: Any) -> None:
    """Fix the amount due (the fee unless the officer gives another) and wait for payment."""
    if amount not in (None, ""):
        try:
            amount = int(str(amount).replace(".", "").replace(",", "").strip())
        except ValueError:
            raise field_error("/amount", _("Enter the amount in dong, digits only.")) from None
        dossier.fee = amount
    if (dossier.fee or 0) <= 0:
        raise field_error("/amount", _("Enter the amount to pay (more than 0 dong)."))
    dossier.payment_status = "pending"
    notify_dossier_event(dossier, "awaiting_payment", note=note, amount=f"{dossier.fee:,}".replace(",", "."))


@lifecycle.on("pay")
def pay(dossier: Dossier, *, user: Any, note: str | None, **_params: Any) -> None:
    dossier.payment_status = "paid"
    notify_dossier_event(dossier, "paid", note=note)


@lifecycle.on("approve")
def approve(dossier: Dossier, *, user: Any, note: str | None, result_file: Any = None,
            result_filename: str = "", result_text: str = "", **_params: Any) -> None:
    """Attach the result: the uploaded PDF, or a generated notice."""
    from app.dossiers.results import attach_result

    attach_result(dossier, user, result_file, str(result_filename or ""), str(result_text or ""))
    notify_dossier_event(dossier, "result_ready", note=note)


@lifecycle.on("return")
def return_result(dossier: Dossier, *, user: Any, note: str | None, method: Any = None,
                  tracking_number: Any = "", **_params: Any) -> None:
    """Hand the result over; record how, when, and whether it was on time."""
    method = str(method or dossier.delivery_method or "office")
    if method not in DELIVERY_METHODS:
        raise field_error("/method", _("Choose how the result is handed over."))
    tracking = str(tracking_number or "").strip()
    if method == "post" and not tracking:
        raise field_error("/tracking_number", _("Enter the postal tracking number."))
    moment = now()
    dossier.return_method = method
    dossier.tracking_number = tracking[:100] or None
    dossier.completed_at = moment
    # An apologized dossier stays late even when returned by its new date (Decree 118/2025).
    dossier.on_time = (dossier.apologized_at is None and dossier.due_date is not None
                       and local_date(moment) <= dossier.due_date)
    notify_dossier_event(dossier, "returned", note=note,
                         tracking_number=dossier.tracking_number)


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


@lifecycle.on("apologize")
def apologize(dossier: Dossier, *, user: Any, note: str | None, new_due_date: Any = None,
              **_params: Any) -> None:
    """Set the new appointment date; the dossier is counted late from now on."""
    new = _parse_date(new_due_date)
    if new is None:
        raise field_error("/new_due_date", _("Enter the new appointment date."))
    today = local_date(now())
    if new <= today or (dossier.due_date is not None and new <= dossier.due_date):
        raise field_error("/new_due_date",
                          _("The new date must be later than today and than the current due date."))
    if not calendar_for(dossier.unit).is_working_day(new):
        raise field_error("/new_due_date", _("The new date must be a working day."))
    if dossier.original_due_date is None:
        dossier.original_due_date = dossier.due_date
    dossier.apologized_at = now()
    dossier.due_date = new
    notify_dossier_event(dossier, "apologized", note=note)


@lifecycle.on("assign")
def assign(dossier: Dossier, *, user: Any, note: str | None, assignee: Any = None,
           **_params: Any) -> None:
    """Give the dossier to an officer of its unit (by user id or user name)."""
    from flask import current_app

    from app.security.scope import unit_officers

    user_model = current_app.appbuilder.sm.user_model
    value = str(assignee or "").strip()
    stmt = unit_officers(dossier.unit_id)
    stmt = stmt.where(user_model.id == int(value)) if value.isdigit() else \
        stmt.where(user_model.username == value)
    officer = db.session.scalar(stmt) if value else None
    if officer is None:
        raise field_error("/assignee", _("Choose an officer of this unit."))
    dossier.assignee_id = officer.id
