"""What operators do to the outbox: put given-up messages back in the queue."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.notifications.models import OutboxMessage


@dataclass
class Requeued:
    requeued: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def requeue(ids: list[int], all_failed: bool = False) -> Requeued:
    """Given-up (and still pending) messages become due now with their attempts reset.

    A sent message is never queued again, nor one a worker is sending at this moment.
    """
    result = Requeued()
    wanted = set(ids)
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if all_failed:
        stmt = stmt.where((OutboxMessage.state == "failed") | OutboxMessage.id.in_(wanted))
    else:
        stmt = stmt.where(OutboxMessage.id.in_(wanted))
    found = set()
    for message in db.session.scalars(stmt.with_for_update()
                                      if db.engine.dialect.name == "postgresql" else stmt):
        found.add(message.id)
        if message.state == "sent":
            result.refused.append((message.id, "already sent; not sent twice"))
            continue
        lease_end = message.next_attempt_at
        if lease_end is not None and lease_end.tzinfo is None:  # SQLite keeps no time zone
            lease_end = lease_end.replace(tzinfo=dt.timezone.utc)
        if message.state == "sending" and lease_end > utcnow():
            result.refused.append((message.id, "a worker is sending it now"))
            continue
        message.state, message.attempts, message.next_attempt_at = "pending", 0, utcnow()
        result.requeued.append(message.id)
    result.refused += [(i, "no such message") for i in sorted(wanted - found)]
    db.session.flush()
    return result
