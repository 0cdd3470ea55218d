"""The append-only, hash-chained dossier history and its verification."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.core.types import utcnow
from app.dossiers.models import Dossier, DossierEvent
from app.extensions import db


def _utc_text(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def event_digest(event: DossierEvent, dossier_code: str) -> str:
    """SHA-256 over the event's content and the previous event's hash."""
    body = {
        "dossier": dossier_code, "action": event.action, "actor": event.actor_id,
        "at": _utc_text(event.created_at), "before": event.status_before,
        "after": event.status_after, "note": event.note or "", "public": bool(event.public),
        "payload": event.payload or {}, "prev": event.prev_hash or "",
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record_event(dossier: Dossier, action: str, actor_id: int | None, *,
                 status_before: str | None, status_after: str | None, note: str | None = None,
                 public: bool = True, payload: dict[str, Any] | None = None) -> DossierEvent:
    """Append one event to the dossier's chain (caller commits)."""
    db.session.flush()
    prev = db.session.scalar(
        select(DossierEvent.hash).where(DossierEvent.dossier_id == dossier.id)
        .order_by(DossierEvent.id.desc()).limit(1)
    )
    event = DossierEvent(
        dossier_id=dossier.id, actor_id=actor_id, action=action, created_at=utcnow(),
        status_before=status_before, status_after=status_after, note=note, public=public,
        payload=payload or {}, prev_hash=prev or "",
    )
    event.hash = event_digest(event, dossier.code)
    db.session.add(event)
    db.session.flush()
    return event


def supplement_request(dossier: Dossier) -> DossierEvent | None:
    """The office's outstanding supplement request (its reason is the event's note)."""
    if dossier.status != "needs_supplement":
        return None
    return db.session.scalar(select(DossierEvent).where(
        DossierEvent.dossier_id == dossier.id, DossierEvent.action == "request_supplement")
        .order_by(DossierEvent.id.desc()).limit(1))


@dataclass
class ChainBreak:
    event_id: int
    dossier_code: str
    reason: str


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Check every dossier's chain; return (events checked, first break or None)."""
    rows = db.session.execute(
        select(DossierEvent, Dossier.code).join(Dossier, Dossier.id == DossierEvent.dossier_id)
        .order_by(DossierEvent.dossier_id, DossierEvent.id)
    )
    checked, last_dossier, last_hash = 0, None, ""
    for event, code in rows:
        if event.dossier_id != last_dossier:
            last_dossier, last_hash = event.dossier_id, ""
        if (event.prev_hash or "") != last_hash:
            return checked, ChainBreak(event.id, code, "previous-hash link does not match")
        if event.hash != event_digest(event, code):
            return checked, ChainBreak(event.id, code, "content does not match its hash")
        last_hash = event.hash
        checked += 1
    return checked, None
