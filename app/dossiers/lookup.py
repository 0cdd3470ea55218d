"""Public lookup of a dossier by its code and the last 4 digits of the contact phone."""
from __future__ import annotations

import hashlib
import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from sqlalchemy import select
from sqlalchemy.orm import joinedload, load_only
from werkzeug.exceptions import TooManyRequests

from app.core.api import iso
from app.dossiers.models import Dossier
from app.dossiers.status import Status, status_label
from app.extensions import db, limiter
from app.procedures.models import Procedure
from app.units.models import AdministrativeUnit

CODE = re.compile(r"^[A-Za-z0-9.\-]{6,50}$")
PHONE4 = re.compile(r"^\d{4}$")


def lookup_limit() -> str:
    """Requests per client address allowed on the public lookup (config LOOKUP_RATE_LIMIT)."""
    return current_app.config.get("LOOKUP_RATE_LIMIT", "10 per minute")


LOOKUP_SCOPE = "lookup"  # the page and the API share one counter per client
MISS_NAMESPACE = "lookup-miss"


class CodeLocked(TooManyRequests):
    """Too many wrong phone digits for this code lately, from anyone."""

    description = _l("Too many tries for this dossier code; please try again later.")


def _misses_enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED")) and limiter.enabled and limiter.initialized


def _code_key(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()[:32]


def _miss_limit():
    return parse(current_app.config.get("LOOKUP_CODE_LOCK", "5 per 30 minutes"))


def lookup_dossier(code: str, phone4: str) -> Dossier | None:
    """The dossier when both code and phone digits match; drafts are never public. A code
    that met too many wrong digits (counted in the shared store, whatever the client) is
    locked for a while: CodeLocked, whether or not such a dossier exists."""
    code, phone4 = (code or "").strip(), (phone4 or "").strip()
    if not CODE.match(code) or not PHONE4.match(phone4):
        return None
    if _misses_enabled() and not limiter.limiter.test(_miss_limit(), MISS_NAMESPACE, _code_key(code)):
        raise CodeLocked()
    dossier = _match(code, phone4)
    if dossier is None and _misses_enabled():
        limiter.limiter.hit(_miss_limit(), MISS_NAMESPACE, _code_key(code))
    return dossier


# What the public answer shows, read in one statement (the dossier row has ~40 columns and a
# JSON declaration none of which the lookup needs).
_PUBLIC = (
    load_only(Dossier.code, Dossier.status, Dossier.contact_phone, Dossier.channel,
              Dossier.submitted_at, Dossier.received_at, Dossier.due_date, Dossier.due_at,
              Dossier.completed_at, Dossier.procedure_id, Dossier.unit_id),
    joinedload(Dossier.procedure).load_only(Procedure.code, Procedure.name, Procedure.name_en),
    joinedload(Dossier.unit).load_only(AdministrativeUnit.code, AdministrativeUnit.name),
)


def _match(code: str, phone4: str) -> Dossier | None:
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code).options(*_PUBLIC))
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
