"""Queueing messages in the caller's transaction and delivering them once it has committed."""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import uow
from app.extensions import db
from app.notifications.delivery import deliver_now
from app.notifications.models import OutboxMessage

QUEUED = "outbox_queued"


def queue_message(channel: str, recipient: str, subject: str, body: str, **fields: Any
                  ) -> OutboxMessage:
    """Add one message to the outbox; it leaves only if the caller's transaction commits."""
    message = OutboxMessage(channel=channel, recipient=recipient, subject=subject, body=body,
                            **fields)
    db.session.add(message)
    return message


@event.listens_for(Session, "after_flush")
def _remember_queued(session: Session, _flush_context: Any) -> None:
    """Note the ids of messages written by this transaction (still in session.new here)."""
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if ids:
        session.info.setdefault(QUEUED, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _forget_queued(session: Session) -> None:
    session.info.pop(QUEUED, None)


@uow.after_commit
def deliver_queued() -> None:
    """Deliver what the committed unit of work queued, when inline delivery is on."""
    ids = db.session.info.pop(QUEUED, None)
    if ids:
        deliver_now(ids)
