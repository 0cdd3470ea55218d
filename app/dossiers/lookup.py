"""Public lookup of a dossier by its code and the last 4 digits of the contact phone."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from sqlalchemy import select
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


def lookup_dossier(code: str, phone4: str) -> PublicRecord | None:
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


@dataclass(frozen=True, slots=True)
class PublicRecord:
    """What the public answer is drawn from: plain columns of the dossier, its procedure and
    its unit, read in one statement (the dossier row has ~40 columns and a JSON declaration
    none of which the lookup needs; no ORM object is built for it)."""

    code: str
    status: str
    contact_phone: str | None
    channel: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_date: dt.date | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    procedure_code: str
    procedure_name: str
    procedure_name_en: str | None
    unit_code: str
    unit_name: str


_PUBLIC = (Dossier.code, Dossier.status, Dossier.contact_phone, Dossier.channel,
           Dossier.submitted_at, Dossier.received_at, Dossier.due_date, Dossier.due_at,
           Dossier.completed_at, Procedure.code, Procedure.name, Procedure.name_en,
           AdministrativeUnit.code, AdministrativeUnit.name)


def _match(code: str, phone4: str) -> PublicRecord | None:
    row = db.session.execute(
        select(*_PUBLIC).join(Procedure, Procedure.id == Dossier.procedure_id)
        .join(AdministrativeUnit, AdministrativeUnit.id == Dossier.unit_id)
        .where(Dossier.code == code)).first()
    if row is None or not Status(row.status).public:
        return None
    record = PublicRecord(*row)
    digits = re.sub(r"\D", "", record.contact_phone or "")
    if len(digits) < 4 or digits[-4:] != phone4:
        return None
    return record


def public_status(dossier: PublicRecord, locale: str = "vi") -> dict:
    """What anyone holding the code may see: no names, no contact, no form data."""
    english = locale == "en" and dossier.procedure_name_en
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure_code,
                      "name": dossier.procedure_name_en if english else dossier.procedure_name},
        "unit": {"code": dossier.unit_code, "name": dossier.unit_name},
        "status": dossier.status,
        "status_label": status_label(dossier.status),
        "national_status": Status(dossier.status).national, "channel": dossier.channel,
        "submitted_at": iso(dossier.submitted_at), "received_at": iso(dossier.received_at),
        "due_date": iso(dossier.due_date), "due_at": iso(dossier.due_at),
        "completed_at": iso(dossier.completed_at),
    }
