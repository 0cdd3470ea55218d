"""Writing notifications into the outbox, in the caller's transaction."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.texts import custom_texts


def _default_texts(event: str, ctx: dict[str, Any]) -> tuple[str, str]:
    """Subject and body of the built-in template for an event (current locale)."""
    subjects = {
        "submitted": _("Dossier %(code)s was submitted", code=ctx["code"]),
        "received": _("Dossier %(code)s was received", code=ctx["code"]),
        "needs_supplement": _("Dossier %(code)s needs a supplement", code=ctx["code"]),
        "rejected": _("Dossier %(code)s was not received", code=ctx["code"]),
        "awaiting_payment": _("Dossier %(code)s: payment requested", code=ctx["code"]),
        "result_ready": _("Dossier %(code)s: the result is ready", code=ctx["code"]),
        "refused": _("Dossier %(code)s was refused", code=ctx["code"]),
        "stopped": _("Processing of dossier %(code)s was stopped", code=ctx["code"]),
        "returned": _("Dossier %(code)s: the result was returned", code=ctx["code"]),
        "apologized": _("Dossier %(code)s: new appointment date", code=ctx["code"]),
        "withdrawn": _("Dossier %(code)s was withdrawn", code=ctx["code"]),
        "resubmitted": _("Dossier %(code)s was submitted again with the supplement",
                         code=ctx["code"]),
    }
    subject = subjects.get(event, _("Dossier %(code)s was updated", code=ctx["code"]))
    lines = [subject + ".", _("Procedure: %(procedure)s", procedure=ctx["procedure"]),
             _("Unit: %(unit)s", unit=ctx["unit"])]
    if ctx.get("due_date"):
        lines.append(_("Appointment date: %(date)s", date=ctx["due_date"]))
    if ctx.get("note"):
        lines.append(_("Note: %(note)s", note=ctx["note"]))
    lines.append(_("Follow your dossier: %(url)s", url=ctx["lookup_url"]))
    return subject, "\n".join(lines)


def dossier_context(dossier, **extra: Any) -> dict[str, Any]:
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    ctx = {
        "code": dossier.code, "procedure": dossier.procedure.name, "unit": dossier.unit.name,
        "status": dossier.status,
        "due_date": dossier.due_date.strftime("%d/%m/%Y") if dossier.due_date else "",
        "lookup_url": f"{base}/lookup?code={dossier.code}",
    }
    ctx.update({k: v for k, v in extra.items() if v is not None})
    return ctx


def notify_dossier_event(dossier, event: str, locale: str = "vi", **extra: Any) -> list[OutboxMessage]:
    """Queue an email and an SMS about a dossier event; delivered by `flask outbox run`."""
    ctx = dossier_context(dossier, **extra)
    with force_locale(locale):
        subject, body = _default_texts(event, ctx)
    subject, body, sms_body = custom_texts(dossier, event, locale, ctx, subject, body)
    messages = []
    if dossier.contact_email:
        messages.append(OutboxMessage(channel="email", recipient=dossier.contact_email,
                                      subject=subject, body=body, event=event, locale=locale,
                                      dossier_id=dossier.id, context=ctx))
    if dossier.contact_phone:
        messages.append(OutboxMessage(channel="sms", recipient=dossier.contact_phone,
                                      subject="", body=sms_body,
                                      event=event, locale=locale, dossier_id=dossier.id,
                                      context=ctx))
    db.session.add_all(messages)
    return messages
