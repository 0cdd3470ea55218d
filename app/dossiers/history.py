"""The append-only, hash-chained dossier history and its verification."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

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
                 public: bool = True, payload: dict[str, Any] | None = None,
                 in_row: bool = False) -> DossierEvent:
    """Append one event to the dossier's chain (caller commits).

    The previous hash is the head kept on the dossier (`history_head`), read with its row; the
    head moves in one compare-and-set, so two appends never both continue the same head:
    - a new dossier is inserted with its head;
    - `in_row` (the gate, which rewrites the row under its optimistic version anyway), while
      that UPDATE is still to come: the head and count ride on it, the head as
      `CASE WHEN head = <read> THEN <new> END`, so a head moved meanwhile (a download recorded
      without a new version) writes NULL into the NOT NULL column and the action fails as a
      conflict (`head_moved`);
    - otherwise a plain UPDATE … WHERE head = <read>, which does not bump the optimistic
      version (a download does not make an officer's form stale); when another append won,
      the head is read again and the event re-chained.
    """
    event = DossierEvent(
        actor_id=actor_id, action=action, created_at=utcnow(), status_before=status_before,
        status_after=status_after, note=note, public=public, payload=payload or {},
        **({"dossier": dossier} if dossier.id is None else {"dossier_id": dossier.id}))
    if dossier.id is None:  # a new dossier: its row carries the head from the start
        _chain(event, dossier, dossier.history_head or "")
        dossier.history_count = (dossier.history_count or 0) + 1
        dossier.history_head = event.hash
    elif in_row and dossier.id not in db.session.info.get(HEADS, {}) \
            and db.session.is_modified(dossier):
        prev = dossier.history_head or ""
        _chain(event, dossier, prev)
        dossier.history_count = (dossier.history_count or 0) + 1
        dossier.history_head = case((Dossier.history_head == prev, event.hash))
        db.session.info.setdefault(HEADS, {})[dossier.id] = event.hash
    else:
        db.session.flush()
        prev = dossier.history_head or ""
        for _attempt in range(5):
            _chain(event, dossier, prev)
            count = db.session.execute(
                update(Dossier).where(Dossier.id == dossier.id, Dossier.history_head == prev)
                .values(history_count=func.coalesce(Dossier.history_count, 0) + 1,
                        history_head=event.hash)
                .returning(Dossier.history_count)).scalar()
            if count is not None:
                break
            prev = db.session.scalar(select(Dossier.history_head).where(Dossier.id == dossier.id))
        else:
            raise RuntimeError(f"the history head of {dossier.code} kept moving")
        set_committed_value(dossier, "history_count", count)
        set_committed_value(dossier, "history_head", event.hash)
    db.session.add(event)
    return event


HEADS = "history_heads_in_flight"


def _chain(event: DossierEvent, dossier: Dossier, prev: str) -> None:
    event.prev_hash = prev
    event.hash = event_digest(event, dossier.code)


def head_moved(error: BaseException) -> bool:
    """The in-row compare-and-set of the head failed: another event was appended meanwhile."""
    return "history_head" in str(getattr(error, "orig", error))


@orm_event.listens_for(Dossier, "after_update")
def _head_written(_mapper, _connection, dossier: Dossier) -> None:
    """The head set through the CASE is known: keep it loaded rather than expired."""
    session = object_session(dossier)
    heads = session.info.get(HEADS) if session is not None else None
    if heads and dossier.id in heads:
        set_committed_value(dossier, "history_head", heads.pop(dossier.id))


@orm_event.listens_for(Session, "after_transaction_end")
def _forget_heads(session: Session, _transaction) -> None:
    session.info.pop(HEADS, None)


def supplement_request(dossier: Dossier) -> DossierEvent | None:
    """The office's outstanding supplement request (its reason is the event's note)."""
    if dossier.status != "needs_supplement":
        return None
    return db.session.scalar(select(DossierEvent).where(
        DossierEvent.dossier_id == dossier.id, DossierEvent.action == "request_supplement")
        .order_by(DossierEvent.id.desc()).limit(1))


@dataclass
class ChainBreak:
    event_id: int | None
    dossier_code: str
    reason: str

    def describe(self) -> str:
        where = f"event {self.event_id} of dossier {self.dossier_code}" if self.event_id \
            else f"dossier {self.dossier_code}"
        return f"{where}: {self.reason}"


def _head_break(code: str, count: int, last_id: int | None, last_hash: str,
                head_count: int, head_hash: str) -> ChainBreak | None:
    """Compare a dossier's chain, as read, with the head kept on the dossier."""
    if count < head_count:
        missing = head_count - count
        where = f"after event {last_id}" if last_id else "all of them"
        return ChainBreak(None if count else last_id, code,
                          f"{missing} event(s) deleted ({where}; the dossier records "
                          f"{head_count}, {count} remain)")
    if count > head_count:
        return ChainBreak(last_id, code, f"event inserted: the dossier records {head_count} "
                                         f"events, {count} found")
    if count and last_hash != head_hash:
        return ChainBreak(last_id, code, "last event rewritten: its hash is not the head "
                                         "recorded on the dossier")
    return None


def verify_chain() -> tuple[int, ChainBreak | None]:
    """Check every dossier's chain and its head; return (events checked, first break or None).

    An altered event no longer matches its hash; an inserted or deleted one breaks the link of
    the next; a deleted or rewritten (hash recomputed) last event no longer matches the count
    and head hash kept on the dossier. Reads in dossier order, streaming."""
    dossiers = db.session.execute(
        select(Dossier.id, Dossier.code, Dossier.history_count, Dossier.history_head)
        .order_by(Dossier.id).execution_options(yield_per=2000))
    events = db.session.execute(
        select(DossierEvent).order_by(DossierEvent.dossier_id, DossierEvent.id)
        .execution_options(yield_per=2000)).scalars()
    pending = next(events, None)
    checked = 0
    for dossier_id, code, head_count, head_hash in dossiers:
        if pending is not None and pending.dossier_id < dossier_id:  # events of no dossier
            return checked, ChainBreak(pending.id, str(pending.dossier_id), "event of no dossier")
        count, last_id, last_hash = 0, None, ""
        while pending is not None and pending.dossier_id == dossier_id:
            event = pending
            if (event.prev_hash or "") != last_hash:
                reason = ("previous-hash link does not match: an event before it was deleted, "
                          "inserted or altered") if count else \
                    "previous-hash link does not match: the first event was deleted or replaced"
                return checked, ChainBreak(event.id, code, reason)
            if event.hash != event_digest(event, code):
                return checked, ChainBreak(event.id, code, "content does not match its hash")
            last_id, last_hash = event.id, event.hash
            count += 1
            checked += 1
            pending = next(events, None)
        broken = _head_break(code, count, last_id, last_hash, head_count or 0, head_hash or "")
        if broken is not None:
            return checked, broken
    if pending is not None:
        return checked, ChainBreak(pending.id, str(pending.dossier_id), "event of no dossier")
    return checked, None
