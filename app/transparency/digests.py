"""The daily digest of the history: a Merkle root over one day's event hashes, chained to the
previous published day, so anyone who saved a digest can later prove the history of that day
(and every day before it) was not rewritten.

    leaf    = SHA-256(0x00 ‖ event hash bytes)          events of the day in id order
    node    = SHA-256(0x01 ‖ left ‖ right)              an odd last node is carried up as is
    root    = the last node (SHA-256 of nothing for a day without events)
    digest  = SHA-256("YYYY-MM-DD|events|root|previous digest")
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from app.core.types import utcnow
from app.dossiers.models import DossierEvent
from app.extensions import db
from app.transparency.models import HistoryDigest
from app.workdays import LOCAL_TZ


class DigestError(Exception):
    """A digest that cannot be published, or no longer matches the history."""


def merkle_root(hashes: list[str]) -> str:
    """The root of the day's tree (module docstring)."""
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(h)).digest() for h in hashes]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        nxt = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
               for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def chain_digest(day: dt.date, events: int, root: str, previous: str) -> str:
    return hashlib.sha256(f"{day.isoformat()}|{events}|{root}|{previous}".encode()).hexdigest()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The day in Vietnam time, as UTC moments [start, end)."""
    start = dt.datetime.combine(day, dt.time(0), LOCAL_TZ).astimezone(dt.timezone.utc)
    return start, start + dt.timedelta(days=1)


@dataclass
class DayTree:
    events: int
    first_id: int | None
    last_id: int | None
    root: str


def day_tree(day: dt.date) -> DayTree:
    """The Merkle tree of the events recorded on a day, as they are stored now."""
    start, end = day_bounds(day)
    rows = db.session.execute(select(DossierEvent.id, DossierEvent.hash).where(
        DossierEvent.created_at >= start, DossierEvent.created_at < end)
        .order_by(DossierEvent.id)).all()
    return DayTree(len(rows), rows[0][0] if rows else None, rows[-1][0] if rows else None,
                   merkle_root([h for _id, h in rows]))


def yesterday() -> dt.date:
    return utcnow().astimezone(LOCAL_TZ).date() - dt.timedelta(days=1)


@dataclass
class Published:
    digest: HistoryDigest
    created: bool


def publish(day: dt.date | None = None) -> list[Published]:
    """Publish the digest of `day` (default yesterday) and of any day missed since the last one.

    Idempotent: a day already published is recomputed and must match (else DigestError)."""
    day = day or yesterday()
    today = utcnow().astimezone(LOCAL_TZ).date()
    if day >= today:
        raise DigestError(f"{day.isoformat()} is not over yet; a digest covers a whole past day")
    existing = db.session.get(HistoryDigest, day)
    if existing is not None:
        check_day(existing, _previous_digest(day))
        return [Published(existing, False)]
    latest = db.session.scalar(select(func.max(HistoryDigest.day)))
    if latest is not None and latest > day:
        raise DigestError(f"digests are published in order: {latest.isoformat()} is already "
                          f"published, {day.isoformat()} can no longer be added to the chain")
    days = [day] if latest is None else [
        latest + dt.timedelta(days=n) for n in range(1, (day - latest).days + 1)]
    out = []
    for current in days:
        tree = day_tree(current)
        previous = _previous_digest(current)
        row = HistoryDigest(day=current, events=tree.events, first_event_id=tree.first_id,
                            last_event_id=tree.last_id, merkle_root=tree.root, previous=previous,
                            digest=chain_digest(current, tree.events, tree.root, previous),
                            created_at=utcnow())
        db.session.add(row)
        db.session.flush()
        out.append(Published(row, True))
    return out


def _previous_digest(day: dt.date) -> str:
    return db.session.scalar(select(HistoryDigest.digest).where(HistoryDigest.day < day)
                             .order_by(HistoryDigest.day.desc()).limit(1)) or ""


def check_day(row: HistoryDigest, previous: str) -> None:
    """The published digest still matches the stored history, or DigestError naming why."""
    tree = day_tree(row.day)
    name = row.day.isoformat()
    if row.previous != previous:
        raise DigestError(f"digest of {name}: its link to the previous day's digest was altered")
    if row.digest != chain_digest(row.day, row.events, row.merkle_root, row.previous):
        raise DigestError(f"digest of {name} was altered")
    if tree.events < row.events:
        raise DigestError(f"history of {name}: {row.events - tree.events} event(s) deleted since "
                          f"its digest was published ({row.events} then, {tree.events} now)")
    if tree.events > row.events:
        raise DigestError(f"history of {name}: {tree.events - row.events} event(s) inserted since "
                          f"its digest was published ({row.events} then, {tree.events} now)")
    if tree.root != row.merkle_root:
        raise DigestError(f"history of {name}: an event between {row.first_event_id} and "
                          f"{row.last_event_id} was rewritten since its digest was published")


def verify_digests() -> tuple[int, str | None]:
    """Check every published digest in order; (digests checked, first problem or None)."""
    previous, checked = "", 0
    for row in db.session.scalars(select(HistoryDigest).order_by(HistoryDigest.day)):
        try:
            check_day(row, previous)
        except DigestError as exc:
            return checked, str(exc)
        previous = row.digest
        checked += 1
    return checked, None


def published(limit: int = 366, before: dt.date | None = None) -> list[HistoryDigest]:
    """The published digests, newest first."""
    stmt = select(HistoryDigest).order_by(HistoryDigest.day.desc()).limit(limit)
    if before is not None:
        stmt = stmt.where(HistoryDigest.day < before)
    return list(db.session.scalars(stmt))


def as_dict(row: HistoryDigest) -> dict:
    return {"date": row.day.isoformat(), "digest": row.digest, "events": row.events,
            "merkle_root": row.merkle_root, "previous": row.previous,
            "published_at": row.created_at.isoformat() if row.created_at else None}
