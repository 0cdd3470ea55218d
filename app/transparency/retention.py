"""Retention: after a dossier ends, its personal data is kept for the procedure's period
(`Procedure.retention_months`, else RETENTION_MONTHS), then anonymised by `flask retention run`.

Anonymising empties the form data, the contact, the delivery address, a walk-in's name and
identification number, the postal tracking number, the text of the notifications sent about the
dossier (recipient, subject, body) and the rating's comment (its score stays in the statistics);
it deletes the attached files and the stored result documents (after the commit) but keeps each
result's public record (title, date, sha256, signer), so a citizen's copy can still be verified.
It records an `anonymise` event, so the history chain stays whole and verifiable (no event is
rewritten: events never hold form data or contact details). The public log and the statistics
do not change: they never held personal data. Payments are kept as the accounts require (amount,
reference, receipt number; no personal data)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.core.types import utcnow
from app.dossiers import lifecycle
from app.dossiers.history import record_event
from app.dossiers.models import Dossier, ResultDocument, SatisfactionRating
from app.dossiers.status import TERMINAL
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.procedures.models import Procedure
from app.storage import delete_after_commit
from app.transparency.models import PublicDossier


@dataclass
class Due:
    code: str
    procedure: str
    ended_at: dt.datetime
    months: int
    attachments: int


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                           31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return moment.replace(year=year, month=month, day=day)


def period(procedure: Procedure) -> int | None:
    """Months personal data is kept after the end (None: kept)."""
    return procedure.retention_months or current_app.config.get("RETENTION_MONTHS")


def _ended():
    return func.coalesce(PublicDossier.ended_at, Dossier.completed_at, Dossier.updated_at)


def due_dossiers(now: dt.datetime | None = None, limit: int | None = None) -> list[tuple[Dossier, Due]]:
    """Ended, not yet anonymised dossiers whose retention period is over."""
    now = now or utcnow()
    found: list[tuple[Dossier, Due]] = []
    for procedure in db.session.scalars(select(Procedure).order_by(Procedure.code)):
        months = period(procedure)
        if not months:
            continue
        cutoff = add_months(now, -months)
        stmt = (select(Dossier, _ended())
                .outerjoin(PublicDossier, PublicDossier.dossier_id == Dossier.id)
                .where(Dossier.procedure_id == procedure.id, Dossier.status.in_(list(TERMINAL)),
                       Dossier.anonymised_at.is_(None), _ended() <= cutoff)
                .options(selectinload(Dossier.attachments)).order_by(Dossier.id))
        if limit:
            stmt = stmt.limit(limit)
        for dossier, ended in db.session.execute(stmt):
            found.append((dossier, Due(dossier.code, procedure.code, ended, months,
                                       len(dossier.attachments))))
    return found


def anonymise(dossier: Dossier, months: int, now: dt.datetime | None = None) -> None:
    """Remove the dossier's personal data, keep its history, public log line and statistics."""
    files = len(dossier.attachments)
    for attachment in list(dossier.attachments):
        delete_after_commit(attachment.storage_key)
        dossier.attachments.remove(attachment)
    dossier.data = {}
    dossier.contact_phone = ""
    dossier.contact_email = ""
    dossier.delivery_address = {}
    dossier.supplement_items = []
    dossier.applicant_name = ""
    dossier.applicant_id_number = ""
    dossier.tracking_number = None
    results = db.session.scalars(select(ResultDocument).where(
        ResultDocument.dossier_id == dossier.id, ResultDocument.storage_key.notlike("erased/%"))).all()
    for document in results:  # the file goes; the record that verifies a copy stays
        delete_after_commit(document.storage_key)
        document.storage_key = f"erased/{document.id}"
        document.filename = ""
    db.session.execute(update(OutboxMessage).where(OutboxMessage.dossier_id == dossier.id).values(
        recipient="", subject="", body="", context={}, last_error=None))
    db.session.execute(update(SatisfactionRating).where(
        SatisfactionRating.dossier_id == dossier.id).values(comment=""))
    dossier.anonymised_at = now or utcnow()
    db.session.flush()
    record_event(dossier, "anonymise", None, status_before=dossier.status,
                 status_after=dossier.status,
                 payload={"retention_months": months, "attachments_deleted": files,
                          "results_deleted": len(results)})
    lifecycle.dossier_changed(dossier)


def run(dry_run: bool = False, now: dt.datetime | None = None) -> list[Due]:
    """Anonymise (or, dry, only list) every dossier due; the caller commits."""
    due = due_dossiers(now)
    if not dry_run:
        for dossier, item in due:
            anonymise(dossier, item.months, now)
    return [item for _d, item in due]
