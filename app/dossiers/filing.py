"""Citizen operations on a dossier: edit the draft, check it, submit, withdraw."""
from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.contact import is_email, is_mobile_phone, normalize_phone
from app.core.types import utcnow
from app.dossiers import lifecycle
from app.dossiers.attachments import EDITABLE, document_titles, missing_documents, require_editable
from app.dossiers.history import record_event
from app.dossiers.models import DELIVERY_METHODS, Dossier
from app.dossiers.operations import ConflictError, DossierError, perform_action
from app.extensions import db
from app.procedures.operations import migrate_draft
from app.units.operations import get_unit

INVALID = "Some of the information is not valid."


def current_locale() -> str:
    try:
        return str(get_locale() or "vi")
    except (RuntimeError, AttributeError):  # outside a request (CLI, worker)
        return "vi"


def contact_problems(phone: str, email: str, required: bool = False) -> list[dict]:
    """Field errors of the contact phone and email ([] when acceptable)."""
    problems = []
    if phone and not is_mobile_phone(phone):
        problems.append({"path": "/contact/phone", "message": _(
            "Enter a Vietnamese mobile number: 10 digits starting with 0, or +84 and 9 digits.")})
    elif required and not phone:
        problems.append({"path": "/contact/phone", "message": _("A phone number is required.")})
    if email:
        if not is_email(email):
            problems.append({"path": "/contact/email", "message": _("Enter a valid email address.")})
    elif required:
        problems.append({"path": "/contact/email", "message": _("An email address is required.")})
    return problems


def delivery_problems(dossier: Dossier, method: str, address: dict, required: bool = False) -> list[dict]:
    """Field errors of the result delivery choice for this procedure."""
    allowed = dossier.procedure.delivery_methods or ["office"]
    if method not in DELIVERY_METHODS or method not in allowed:
        return [{"path": "/delivery/method", "message": _("Choose one of the offered ways to receive the result.")}]
    if method != "post" or not required:
        return []
    problems = []
    if not (address.get("street") or address.get("text") or "").strip():
        problems.append({"path": "/delivery/address/street",
                         "message": _("Enter the house number and street for the post.")})
    commune = get_unit(address.get("commune") or "") if address.get("commune") else None
    if not address.get("text") and commune is None:
        problems.append({"path": "/delivery/address/commune",
                         "message": _("Choose the commune or ward of the delivery address.")})
    return problems


def update_dossier(user: Any, dossier: Dossier, *, data: dict | None = None,
                   contact: dict | None = None, delivery: dict | None = None,
                   expected_version: int | None = None) -> Dossier:
    """Replace the given parts of an editable dossier (drafts may be incomplete); commits."""
    require_editable(user, dossier)
    if expected_version is not None and expected_version != dossier.version:
        raise ConflictError(_("The dossier was changed by someone else; reload it and try again."))
    problems: list[dict] = []
    if data is not None and not isinstance(data, dict):
        problems.append({"path": "/data", "message": _("Must be an object.")})
    if contact is not None:
        phone = normalize_phone(str(contact.get("phone") or ""))
        email = str(contact.get("email") or "").strip()
        problems += contact_problems(phone, email)
    if delivery is not None:
        method = str(delivery.get("method") or "office")
        address = delivery.get("address") or {}
        if isinstance(address, str):
            address = {"text": address}
        if not isinstance(address, dict):
            problems.append({"path": "/delivery/address", "message": _("Must be an object.")})
            address = {}
        problems += delivery_problems(dossier, method, address)
    if problems:
        raise DossierError(_(INVALID), 422, problems)
    # A draft filed under an older form moves to the published version, keeping what fits.
    dropped = migrate_draft(dossier)
    if dropped is not None:
        record_event(dossier, "migrate_version", getattr(user, "id", None),
                     status_before=dossier.status, status_after=dossier.status,
                     payload={"version": dossier.procedure_version.number, "dropped": len(dropped)})
    if data is not None:
        dossier.data = data
    if contact is not None:
        dossier.contact_phone, dossier.contact_email = phone, email
    if delivery is not None:
        dossier.delivery_method = method
        dossier.delivery_address = {k: str(v)[:255] for k, v in address.items()
                                    if k in ("province", "commune", "street", "text") and v}
    db.session.commit()
    return dossier


def compiled_form_for(version: Any):
    """The form engine's compiled form of one procedure version (cached)."""
    from app.forms.engine import compile_cached

    return compile_cached(("dossier", version.procedure.code, version.number, version.id),
                          version.schema, version.ui_schema or None)


def compiled_form(dossier: Dossier):
    """The compiled form of the version the dossier is pinned to."""
    return compiled_form_for(dossier.procedure_version)


def data_problems(dossier: Dossier, locale: str | None = None) -> tuple[dict, list[dict]]:
    """(pruned data, errors) of the declaration, validated against its pinned version."""
    from app.forms.engine import SchemaError, validate

    locale = locale or current_locale()
    try:
        pruned, errors = compiled_form(dossier).check(dossier.data or {}, locale)
    except SchemaError:  # a legacy schema the renderer can't compile is still checkable
        pruned, errors = dossier.data or {}, validate(dossier.procedure_version.schema,
                                                      dossier.data or {}, locale)
    return pruned, [{"path": "/data" + e.path, "message": e.message} for e in errors]


def submission_problems(dossier: Dossier, locale: str | None = None) -> tuple[dict, list[dict]]:
    """Everything that stops a submission, as field errors, with the pruned data."""
    locale = locale or current_locale()
    pruned, problems = data_problems(dossier, locale)
    titles = document_titles(dossier, locale)
    for key in missing_documents(dossier):
        problems.append({"path": f"/attachments/{key}",
                         "message": _("Attach this document: %(title)s", title=titles[key])})
    problems += contact_problems(dossier.contact_phone, dossier.contact_email, required=True)
    problems += delivery_problems(dossier, dossier.delivery_method, dossier.delivery_address or {},
                                  required=True)
    return pruned, problems


def submit_dossier(user: Any, dossier: Dossier) -> Dossier:
    """Check and submit; submitting an already submitted dossier again changes nothing."""
    if dossier.applicant_id != getattr(user, "id", None):
        raise DossierError(_("Dossier not found."), 404)
    if dossier.status not in EDITABLE and dossier.status != "withdrawn" and dossier.submitted_at:
        return dossier  # a replay (double click, reload, API retry): same dossier, same status
    require_editable(user, dossier)
    pruned, problems = submission_problems(dossier)
    if problems:
        raise DossierError(_(INVALID), 422, problems)
    dossier.data = pruned  # values of hidden conditional fields are not sent
    try:
        perform_action(user, dossier, "submit")
        _deliver(dossier)
        return dossier
    except ConflictError:
        db.session.refresh(dossier)
        if dossier.status == "submitted":  # a concurrent duplicate submit won the race
            return dossier
        raise


def withdraw_dossier(user: Any, dossier: Dossier, note: str | None = None) -> Dossier:
    """The owner withdraws a dossier that has not been received yet."""
    perform_action(user, dossier, "withdraw", note=note or None)
    _deliver(dossier)
    return dossier


def _deliver(dossier: Dossier) -> None:
    from app.notifications.delivery import deliver_dossier_messages

    deliver_dossier_messages(dossier.id)


@lifecycle.on("submit")
def _on_submit(dossier: Dossier, **_params: Any) -> None:
    """Stamp the first submission, then queue the email and SMS in the same transaction."""
    from app.notifications.operations import notify_dossier_event

    event = "resubmitted" if dossier.submitted_at else "submitted"
    if dossier.submitted_at is None:
        dossier.submitted_at = utcnow()
    db.session.flush()
    notify_dossier_event(dossier, event, locale=current_locale())


@lifecycle.on("withdraw")
def _on_withdraw(dossier: Dossier, **_params: Any) -> None:
    from app.notifications.operations import notify_dossier_event

    notify_dossier_event(dossier, "withdrawn", locale=current_locale())
