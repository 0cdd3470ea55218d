"""Public lookup of a dossier by its code and the last 4 digits of the contact phone."""
from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import select

from app.core.api import iso
from app.dossiers.models import Dossier
from app.dossiers.status import Status, status_label
from app.extensions import db

CODE = re.compile(r"^[A-Za-z0-9.\-]{6,50}$")
PHONE4 = re.compile(r"^\d{4}$")


def lookup_limit() -> str:
    """Requests per client address allowed on the public lookup (config LOOKUP_RATE_LIMIT)."""
    return current_app.config.get("LOOKUP_RATE_LIMIT", "10 per minute")


def lookup_dossier(code: str, phone4: str) -> Dossier | None:
    """The dossier when both code and phone digits match; drafts are never public."""
    code, phone4 = (code or "").strip(), (phone4 or "").strip()
    if not CODE.match(code) or not PHONE4.match(phone4):
        return None
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
    if dossier is None or not Status(dossier.status).public:
        return None
    digits = re.sub(r"\D", "", dossier.contact_phone or "")
    if len(digits) < 4 or digits[-4:] != phone4:
        return None
    return dossier


def public_status(dossier: Dossier, locale: str = "vi") -> dict:
    """What anyone holding the code may see: no names, no contact, no form data."""
    procedure = dossier.procedure
    return {
        "code": dossier.code,
        "procedure": {"code": procedure.code,
                      "name": procedure.name_en if locale == "en" and procedure.name_en else procedure.name},
        "unit": {"code": dossier.unit.code, "name": dossier.unit.name},
        "status": dossier.status,
        "status_label": status_label(dossier.status),
        "national_status": Status(dossier.status).national, "channel": dossier.channel,
        "submitted_at": iso(dossier.submitted_at), "received_at": iso(dossier.received_at),
        "due_date": iso(dossier.due_date), "due_at": iso(dossier.due_at),
        "completed_at": iso(dossier.completed_at),
    }
