"""What a dossier event says to the citizen: texts and placeholders, queued in the outbox."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.core import audit
from app.core.locale import current_locale
from app.core.moments import clock_text, local
from app.core.refusal import Refused
from app.core.types import utcnow
from app.dossiers.status import status_label
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.outbox import queue_message
from app.notifications.texts import (
    EVENTS,
    NOTIFICATION_CHANNELS,
    NOTIFICATION_LOCALES,
    PLACEHOLDERS,
    SMS_MAX,
    NotificationTemplate,
    placeholder_problems,
    rendered_templates,
)
from app.security.models import UserProfile
from app.units.operations import get_unit


def _default_texts(event: str, ctx: dict[str, Any]) -> tuple[str, str]:
    """Subject and body of the built-in template for an event (current locale)."""
    code = ctx["code"]
    subjects = {
        "submitted": _("Dossier %(code)s was submitted", code=code),
        "received": _("Dossier %(code)s was received", code=code),
        "needs_supplement": _("Dossier %(code)s needs a supplement", code=code),
        "rejected": _("Dossier %(code)s was not received", code=code),
        "awaiting_payment": _("Dossier %(code)s: payment requested", code=code),
        "result_ready": _("Dossier %(code)s: the result is ready", code=code),
        "refused": _("Dossier %(code)s was refused", code=code),
        "stopped": _("Processing of dossier %(code)s was stopped", code=code),
        "returned": _("Dossier %(code)s: the result was returned", code=code),
        "apologized": _("Dossier %(code)s: new appointment date", code=code),
        "withdrawn": _("Dossier %(code)s was withdrawn", code=code),
        "resubmitted": _("Dossier %(code)s was submitted again with the supplement", code=code),
        "paid": _("Dossier %(code)s: payment received", code=code),
        "refunded": _("Dossier %(code)s: the fee was refunded", code=code),
        "forwarded": _("Dossier %(code)s was forwarded to %(unit)s", code=code, unit=ctx["unit"]),
    }
    subject = subjects.get(event, _("Dossier %(code)s was updated", code=code))
    lines = [subject + ".", _("Procedure: %(procedure)s", procedure=ctx["procedure"]),
             _("Unit: %(unit)s", unit=ctx["unit"])]
    if ctx.get("due_date"):
        lines.append(_("Appointment date: %(date)s", date=ctx["due_date"]))
    if ctx.get("amount") and event in ("awaiting_payment", "paid", "refunded"):
        lines.append(_("Amount: %(amount)s VND", amount=ctx["amount"]))
    if event == "awaiting_payment":
        lines.append(_("Pay online from your dossier: %(url)s", url=ctx["dossier_url"]))
    if ctx.get("tracking_number"):
        lines.append(tracking_line(ctx))
    if ctx.get("note"):
        lines.append(_("Note: %(note)s", note=ctx["note"]))
    if event == "needs_supplement":
        lines.append(_("Supplement it online from My dossiers, or bring the papers to the office."))
    lines.append(_("Follow your dossier: %(url)s", url=ctx["lookup_url"]))
    if event == "returned":
        lines.append(_("Tell us how we did: %(url)s", url=ctx["rating_url"]))
    return subject, "\n".join(lines)


# Events whose built-in text has an appointment line, and those whose action needs a reason
# (so the officer's note is always there to fill {note}).
DUE_DATE_EVENTS = ("received", "needs_supplement", "awaiting_payment", "result_ready", "apologized",
                   "forwarded", "paid")


def default_text(event: str, channel: str, locale: str) -> tuple[str, str]:
    """The built-in (subject, body) of an event and channel written with placeholders: where an
    administrator's new text starts from (the SMS has no subject)."""
    from app.dossiers.lifecycle import TABLE

    ctx: dict[str, Any] = {name: "{%s}" % name for name in PLACEHOLDERS}
    if event not in DUE_DATE_EVENTS:
        ctx["due_date"] = ""
    if event not in {t.event for t in TABLE if t.event and t.needs_reason}:
        ctx["note"] = ""
    ctx["tracking_number"] = ""  # only by post: the line would read empty at the office
    with force_locale(locale):
        subject, body = _default_texts(event, ctx)
    if channel == "sms":
        return "", f"MotCua: {subject}. {{lookup_url}}"
    return subject, body


def tracking_line(ctx: dict[str, Any]) -> str:
    """Where the result is in the post: the tracking number and the carrier's tracking page."""
    line = _("Sent by post with %(carrier)s, tracking number %(number)s",
             carrier=ctx.get("carrier") or "", number=ctx["tracking_number"])
    if ctx.get("tracking_url"):
        line += ": " + ctx["tracking_url"]
    return line


def dossier_context(dossier, **extra: Any) -> dict[str, Any]:
    """The placeholders of a dossier's notification texts."""
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    due = dossier.due_date.strftime("%d/%m/%Y") if dossier.due_date else ""
    if dossier.due_at is not None and dossier.due_date is not None:  # the appointment's time too
        due = clock_text(dossier.due_at) if current_locale() == "vi" else \
            local(dossier.due_at).strftime("%H:%M, %d/%m/%Y")
    if dossier.clock_stopped_at is not None:
        due = _("paused until the supplement arrives")  # the old date no longer holds
    ctx = {
        "code": dossier.code, "procedure": dossier.procedure.name, "unit": dossier.unit.name,
        "status": dossier.status, "due_date": due,
        "lookup_url": f"{base}/lookup?code={dossier.code}",
        "rating_url": f"{base}/dossiers/{dossier.code}/rating",
        "dossier_url": f"{base}/my/dossiers/{dossier.code}",
    }
    ctx.update({k: v for k, v in extra.items() if v is not None})
    return ctx


def _texts(dossier, event: str, locale: str, ctx: dict[str, Any]) -> tuple[str, str, str]:
    """(email subject, email body, SMS body): the administrators' texts where set, else built-in."""
    with force_locale(locale):
        subject, body = _default_texts(event, ctx)
        values = {**ctx, "status": status_label(ctx.get("status") or "")}
    province = dossier.unit.province.id if dossier.unit is not None else None
    texts = rendered_templates(event, NOTIFICATION_CHANNELS, locale, province, values)
    email = texts.get("email") or (subject, body)
    sms = texts.get("sms")
    if sms:
        sms_body = sms[1]
    elif ctx.get("tracking_number"):
        with force_locale(locale):
            sms_body = f"MotCua: {subject}. {tracking_line(ctx)}"
    else:
        sms_body = f"MotCua: {subject}. {ctx.get('lookup_url', '')}"
    return email[0], email[1], sms_body


def notify_dossier_event(dossier, event: str, locale: str = "vi", **extra: Any) -> list:
    """Queue an email and an SMS about a dossier event in the caller's transaction."""
    with force_locale(locale):
        ctx = dossier_context(dossier, **extra)
    subject, body, sms_body = _texts(dossier, event, locale, ctx)
    messages = []
    if dossier.contact_email:
        messages.append(queue_message("email", dossier.contact_email, subject, body, event=event,
                                      locale=locale, dossier_id=dossier.id, context=ctx))
    if dossier.contact_phone:
        if dossier.received_at is not None:
            release_held_sms(dossier)
        held = sms_must_wait(dossier)
        messages.append(queue_message("sms", dossier.contact_phone, "", sms_body, event=event,
                                      locale=locale, dossier_id=dossier.id, context=ctx,
                                      **({"state": "held"} if held else {})))
    return messages


def _last_digits(phone: str | None) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())[-9:]


def sms_must_wait(dossier) -> bool:
    """An online dossier's SMS to a number that is not its account's waits for the officer's
    receipt: nobody can make the portal text arbitrary numbers (SMS pumping)."""
    if dossier.channel != "online" or dossier.received_at is not None or not dossier.applicant_id:
        return False
    with db.session.no_autoflush:  # the action's own UPDATE stays one statement
        profile = db.session.get(UserProfile, dossier.applicant_id)  # held when the owner acts
    own = profile.phone if profile is not None else None
    return not own or _last_digits(own) != _last_digits(dossier.contact_phone)


def release_held_sms(dossier) -> None:
    """The office received the dossier: the number is vouched for, its waiting SMS leave."""
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.dossier_id == dossier.id, OutboxMessage.channel == "sms",
        OutboxMessage.state == "held").values(state="pending", next_attempt_at=utcnow()))


# --- Administrators' texts (audited) ---------------------------------------------------------

def save_notification_text(template: NotificationTemplate | None, values: dict[str, Any]
                           ) -> NotificationTemplate:
    """Create or change a text; raises Refused with problems by field name."""
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
        raise Refused([m for ms in errors.values() for m in ms], errors)
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
    db.session.flush()
    return template


def delete_notification_text(template: NotificationTemplate) -> None:
    audit.record("delete", "NotificationTemplate", template.id, str(template),
                 audit.snapshot(template))
    db.session.delete(template)
    db.session.flush()
