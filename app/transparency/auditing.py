"""What auditors read: every filed dossier (filters, keyset pages), one dossier's full history
with its chain checked, CSV exports; and the access log administrators read."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.access import PersonalDataAccess
from app.core.pagination import Key, keyset_page
from app.dossiers.filters import visible_dossiers
from app.dossiers.history import event_digest
from app.dossiers.models import Dossier, DossierEvent
from app.dossiers.status import Status
from app.extensions import db
from app.security.names import full_name
from app.transparency.filters import PublicFilters
from app.transparency.models import PublicDossier

NEWEST = (Key(Dossier.id, desc=True),)
EXPORT_COLUMNS = ("code", "procedure", "unit", "channel", "status", "applicant", "phone", "email",
                  "submitted_at", "received_at", "due_date", "completed_at", "on_time",
                  "anonymised_at", "data")


def audited_dossiers(user: Any, filters: PublicFilters, code: str = ""):
    """Filed dossiers in the user's scope (auditors: all), filtered like the public log."""
    stmt = visible_dossiers(user).where(Dossier.status != Status.DRAFT)
    if code:
        stmt = stmt.where(Dossier.code == code.strip())
    if filters.unit is not None:
        stmt = stmt.where(Dossier.unit_id == filters.unit.id)
    if filters.procedure is not None:
        stmt = stmt.where(Dossier.procedure_id == filters.procedure.id)
    if filters.status:
        stmt = stmt.where(Dossier.status == filters.status)
    if filters.province is not None or filters.month_from or filters.month_to:
        public = select(PublicDossier.dossier_id)
        if filters.province is not None:
            public = public.where(PublicDossier.province_id == filters.province.id)
        if filters.month_from:
            public = public.where(PublicDossier.month >= filters.month_from)
        if filters.month_to:
            public = public.where(PublicDossier.month <= filters.month_to)
        stmt = stmt.where(Dossier.id.in_(public))
    return stmt.options(joinedload(Dossier.procedure), joinedload(Dossier.unit))


def page(user: Any, filters: PublicFilters, cursor: str | None, code: str = "", size: int = 50):
    return keyset_page(audited_dossiers(user, filters, code), NEWEST, cursor, size, lambda d: (d.id,))


def chain_report(dossier: Dossier) -> list[tuple[DossierEvent, bool]]:
    """Each event with whether it still matches its hash and its link to the previous one."""
    out, previous = [], ""
    for event in dossier.events:
        ok = (event.prev_hash or "") == previous and event.hash == event_digest(event, dossier.code)
        out.append((event, ok))
        previous = event.hash
    return out


def head_ok(dossier: Dossier) -> bool:
    events = list(dossier.events)
    return len(events) == (dossier.history_count or 0) and \
        (events[-1].hash if events else "") == (dossier.history_head or "")


def export_csv(user: Any, filters: PublicFilters, limit: int) -> tuple[str, int]:
    """The filtered dossiers with their personal data, as CSV (at most `limit` rows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    stmt = audited_dossiers(user, filters).options(joinedload(Dossier.applicant)) \
        .order_by(Dossier.id.desc()).limit(limit)
    n = 0
    for d in db.session.scalars(stmt).unique():
        writer.writerow([d.code, d.procedure.code, d.unit.code, d.channel, d.status,
                         full_name(d.applicant), d.contact_phone, d.contact_email,
                         _iso(d.submitted_at), _iso(d.received_at), _iso(d.due_date),
                         _iso(d.completed_at), "" if d.on_time is None else int(d.on_time),
                         _iso(d.anonymised_at), json.dumps(d.data or {}, ensure_ascii=False)])
        n += 1
    return "\ufeff" + out.getvalue(), n


def _iso(value: Any) -> str:
    return value.isoformat() if value is not None else ""


ACCESS_ORDER = (Key(PersonalDataAccess.id, desc=True),)


def access_page(cursor: str | None, username: str = "", code: str = "", size: int = 50):
    stmt = select(PersonalDataAccess)
    if username:
        stmt = stmt.where(PersonalDataAccess.username == username.strip())
    if code:
        stmt = stmt.where(PersonalDataAccess.dossier_code == code.strip())
    return keyset_page(stmt, ACCESS_ORDER, cursor, size, lambda r: (r.id,))
