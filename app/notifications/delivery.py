"""The outbox worker: claim due messages one by one, send, record, retry with back-off."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.notifications.mailer import send_email
from app.notifications.models import OutboxMessage
from app.notifications.sms import get_gateway

log = logging.getLogger(__name__)


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"sent {self.sent}, to retry {self.retried}, given up {self.failed}"


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try: base × 2^(attempts-1), capped (OUTBOX_RETRY_* settings)."""
    config = current_app.config
    base = float(config.get("OUTBOX_RETRY_BASE_SECONDS", 60))
    cap = float(config.get("OUTBOX_RETRY_MAX_SECONDS", 6 * 3600))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _claim(now: dt.datetime, only_ids: list[int] | None) -> OutboxMessage | None:
    """Lock the next due message; other workers skip it (PostgreSQL SKIP LOCKED)."""
    stmt = (select(OutboxMessage)
            .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id).limit(1))
    if only_ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(only_ids))
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return db.session.scalar(stmt)


def _send(message: OutboxMessage) -> None:
    if message.channel == "email":
        send_email(message.recipient, message.subject, message.body)
    elif message.channel == "sms":
        get_gateway().send(message.recipient, message.body)
    else:
        raise ValueError(f"unknown channel {message.channel!r}")


def deliver_pending(limit: int | None = None, only_ids: list[int] | None = None) -> DeliveryStats:
    """Deliver due messages, each in its own transaction, until none is due (or `limit`)."""
    stats = DeliveryStats()
    max_attempts = int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8))
    while limit is None or stats.sent + stats.retried + stats.failed < limit:
        now = utcnow()
        message = _claim(now, only_ids)
        if message is None:
            break
        message.attempts = (message.attempts or 0) + 1
        try:
            # A savepoint drops a half-written SMS record but keeps the row locked.
            with db.session.begin_nested():
                _send(message)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= max_attempts:
                message.state = "failed"
                stats.failed += 1
                log.error("outbox %s gave up after %s attempts: %s", message.id, message.attempts, exc)
            else:
                message.next_attempt_at = now + backoff(message.attempts)
                stats.retried += 1
                log.warning("outbox %s failed (attempt %s), retry at %s: %s", message.id,
                            message.attempts, message.next_attempt_at, exc)
        else:
            message.state = "sent"
            message.sent_at = utcnow()
            message.last_error = None
            stats.sent += 1
        db.session.commit()
    return stats


def deliver_now(ids: list[int]) -> None:
    """Best-effort delivery right after a commit (OUTBOX_DELIVER_INLINE); the worker retries."""
    config = current_app.config
    if not ids or not config.get("OUTBOX_DELIVER_INLINE", config.get("MAIL_BACKEND_LOG_ONLY", False)):
        return
    try:
        deliver_pending(only_ids=list(ids))
    except Exception:  # noqa: BLE001 - never fail the citizen's request for a notification
        db.session.rollback()
        log.exception("inline delivery failed; the outbox worker will retry")
