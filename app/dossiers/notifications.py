"""What a dossier event says to the citizen: texts and placeholders, queued in the outbox."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.dossiers.status import status_label
from app.notifications.outbox import queue_message
from app.notifications.texts import rendered_template


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
    lines.append(_("Follow your dossier: %(url)s", url=ctx["lookup_url"]))
    return subject, "\n".join(lines)


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
    ctx = {
        "code": dossier.code, "procedure": dossier.procedure.name, "unit": dossier.unit.name,
        "status": dossier.status,
        "due_date": dossier.due_date.strftime("%d/%m/%Y") if dossier.due_date else "",
        "lookup_url": f"{base}/lookup?code={dossier.code}",
        "dossier_url": f"{base}/my/dossiers/{dossier.code}",
    }
    ctx.update({k: v for k, v in extra.items() if v is not None})
    return ctx


def _texts(dossier, event: str, locale: str, ctx: dict[str, Any]) -> tuple[str, str, str]:
    """(email subject, email body, SMS body): the administrators' texts where set, else built-in."""
    with force_locale(locale):
        subject, body = _default_texts(event, ctx)
        values = {**ctx, "status": status_label(ctx.get("status") or "")}
    province = dossier.unit.province.code if dossier.unit is not None else None
    email = rendered_template(event, "email", locale, province, values) or (subject, body)
    sms = rendered_template(event, "sms", locale, province, values)
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
    ctx = dossier_context(dossier, **extra)
    subject, body, sms_body = _texts(dossier, event, locale, ctx)
    messages = []
    if dossier.contact_email:
        messages.append(queue_message("email", dossier.contact_email, subject, body, event=event,
                                      locale=locale, dossier_id=dossier.id, context=ctx))
    if dossier.contact_phone:
        messages.append(queue_message("sms", dossier.contact_phone, "", sms_body, event=event,
                                      locale=locale, dossier_id=dossier.id, context=ctx))
    return messages
