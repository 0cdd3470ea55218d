"""What makes a dossier complete: declaration, documents, contact, delivery — and the guard
"submission_complete" of the table, so every way of submitting runs the same checks."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core.contact import is_email, is_mobile_phone
from app.core.locale import current_locale
from app.dossiers import fees, lifecycle
from app.dossiers.attachments import document_titles, missing_documents
from app.dossiers.errors import DossierError
from app.dossiers.lifecycle import ActionContext
from app.dossiers.models import Dossier
from app.dossiers.status import DELIVERY_METHODS
from app.forms.engine import SchemaError, validate
from app.procedures.forms import compiled_form_for
from app.units.operations import get_unit

INVALID = "Some of the information is not valid."
ADDRESS_KEYS = ("province", "commune", "street", "text")


def contact_problems(phone: str, email: str, required: bool = False,
                     email_required: bool | None = None) -> list[dict]:
    """Field errors of the contact phone and email ([] when acceptable); at the counter the
    email is optional (`email_required=False`)."""
    email_required = required if email_required is None else email_required
    problems = []
    if phone and not is_mobile_phone(phone):
        problems.append({"path": "/contact/phone", "message": _(
            "Enter a Vietnamese mobile number: 10 digits starting with 0, or +84 and 9 digits.")})
    elif required and not phone:
        problems.append({"path": "/contact/phone", "message": _("A phone number is required.")})
    if email:
        if not is_email(email):
            problems.append({"path": "/contact/email", "message": _("Enter a valid email address.")})
    elif email_required:
        problems.append({"path": "/contact/email", "message": _("An email address is required.")})
    return problems


def address_dict(address: Any) -> dict[str, Any]:
    """A delivery address as a dict (an API client may send one line of text)."""
    if isinstance(address, str):
        return {"text": address} if address.strip() else {}
    return address if isinstance(address, dict) else {}


def stored_address(address: dict[str, Any]) -> dict[str, str]:
    """The parts of an address we keep."""
    return {k: str(v)[:255] for k, v in address.items() if k in ADDRESS_KEYS and v}


def address_text(address: dict) -> str:
    """A delivery address as one line: street, commune, province."""
    parts = [address.get("street") or address.get("text") or ""]
    for key in ("commune", "province"):
        unit = get_unit(address.get(key) or "") if address.get(key) else None
        if unit is not None:
            parts.append(unit.name)
    return ", ".join(p for p in parts if p)


def offered_methods(procedure: Any) -> list[str]:
    """The ways this procedure hands its result over, in its order (at the office if it names none)."""
    return [m for m in (procedure.delivery_methods or ["office"]) if m in DELIVERY_METHODS] or ["office"]


def delivery_problems(procedure: Any, method: str, address: dict, required: bool = False) -> list[dict]:
    """Field errors of the result delivery choice for this procedure: only a way it offers (a
    result collected at the office only is never posted, whatever a page or a client sends)."""
    allowed = offered_methods(procedure)
    if method not in allowed:
        message = _("The result of this procedure is handed over only at the one-stop office; it "
                    "cannot be sent by post or online.") if allowed == ["office"] else \
            _("Choose one of the offered ways to receive the result.")
        return [{"path": "/delivery/method", "message": message}]
    if method != "post" or not required:
        return []
    problems = []
    if not str(address.get("street") or address.get("text") or "").strip():
        problems.append({"path": "/delivery/address/street",
                         "message": _("Enter the house number and street for the post.")})
    commune = get_unit(str(address.get("commune"))) if address.get("commune") else None
    if not address.get("text") and commune is None:
        problems.append({"path": "/delivery/address/commune",
                         "message": _("Choose the commune or ward of the delivery address.")})
    return problems


def compiled_form(dossier: Dossier):
    """The compiled form of the version the dossier is pinned to."""
    return compiled_form_for(dossier.procedure_version)


def data_problems(dossier: Dossier, locale: str | None = None) -> tuple[dict, list[dict]]:
    """(pruned data, errors) of the declaration, validated against its pinned version."""
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
    missing = missing_documents(dossier)
    if dossier.fee_exemption and fees.EXEMPTION_PROOF in titles and \
            all(a.document_key != fees.EXEMPTION_PROOF for a in dossier.attachments):
        missing.append(fees.EXEMPTION_PROOF)  # an exemption is claimed with its proof
    for key in missing:
        problems.append({"path": f"/attachments/{key}",
                         "message": _("Attach this document: %(title)s", title=titles[key])})
    problems += fees.exemption_problems(dossier.procedure, dossier.fee_exemption)
    problems += contact_problems(dossier.contact_phone, dossier.contact_email, required=True,
                                 email_required=dossier.channel != "counter")
    problems += delivery_problems(dossier.procedure, dossier.delivery_method,
                                  dossier.delivery_address or {}, required=True)
    return pruned, problems


@lifecycle.guard("submission_complete")
def submission_complete(dossier: Dossier, ctx: ActionContext) -> None:
    """The declaration, the documents, the contact and the delivery are all acceptable."""
    pruned, problems = submission_problems(dossier, ctx.locale)
    if problems:
        raise DossierError(_(INVALID), 422, problems)
    ctx.scratch["pruned"] = pruned  # values of hidden conditional fields are not kept
