"""JSON shapes of dossiers for the API."""
from __future__ import annotations

from app.core.api import iso
from app.dossiers import fees
from app.dossiers.effects import tracking_url
from app.dossiers.linked import parts
from app.dossiers.models import Dossier
from app.dossiers.results import verify_url
from app.dossiers.status import Status


def event_json(event) -> dict:
    return {"at": iso(event.created_at), "action": event.action,
            "status_before": event.status_before, "status_after": event.status_after,
            "note": event.note}


def dossier_summary(d: Dossier) -> dict:
    return {
        "code": d.code, "procedure": d.procedure.code, "unit": d.unit.code, "status": d.status,
        "created_at": iso(d.created_at), "submitted_at": iso(d.submitted_at),
        "received_at": iso(d.received_at), "due_date": iso(d.due_date),
        "completed_at": iso(d.completed_at), "version": d.version,
        "channel": d.channel, "national_status": Status(d.status).national,
        "due_at": iso(d.due_at), "register_number": d.register_number,
        "register_year": d.register_year,
    }


def dossier_detail(d: Dossier, internal: bool = False) -> dict:
    """Full dossier; `internal` adds events hidden from the citizen."""
    data = dossier_summary(d)
    data.update({
        "procedure_version": d.procedure_version.number,
        "data": d.data, "contact": {"phone": d.contact_phone, "email": d.contact_email},
        "applicant": {"name": d.applicant_name, "id_number": d.applicant_id_number}
        if d.channel == "counter" else None,
        "delivery": {"method": d.delivery_method, "address": d.delivery_address or None,
                     "returned_by": d.return_method, "tracking_number": d.tracking_number,
                     "tracking_url": tracking_url(d.tracking_number) or None},
        "fee": fees.fee_json(d), "payment_status": d.payment_status, "on_time": d.on_time,
        "results": [{"id": r.id, "filename": r.filename, "sha256": r.sha256, "signed": r.signed,
                     "verify_url": verify_url(r.public_id) if r.public_id else None}
                    for r in d.results] if internal or Status(d.status).result_available else [],
        "attachments": [{"id": a.id, "document_key": a.document_key, "filename": a.filename,
                         "size": a.size, "sha256": a.sha256} for a in d.attachments],
        "events": [event_json(e) for e in d.events if internal or e.public],
        "parent": d.parent.code if d.parent is not None else None,
        "parts": [part.as_json() for part in parts(d)],
    })
    return data
