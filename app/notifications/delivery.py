"""The outbox worker's steps: lease a due message, send it with no transaction open, record.

A message is claimed by committing a lease (`state = "sending"`, `next_attempt_at` = lease end)
before anything is sent, so another worker never sends it meanwhile, even when the connection
that claimed it is lost. The outcome is recorded afterwards, retried across reconnections for
as long as the lease lasts; a worker that dies in between leaves the lease to expire, and the
message is sent again with the same Message-ID, so the resend is recognisable.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from app.core.outage import reset_session
from app.core.types import utcnow
from app.extensions import db
from app.notifications.channels import ChannelUnavailable, Envelope, send
from app.notifications.models import CHANNELS, OutboxMessage

log = logging.getLogger(__name__)


@dataclass
class DeliveryStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unavailable: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.sent + self.retried + self.failed

    def __str__(self) -> str:
        text = f"sent {self.sent}, to retry {self.retried}, given up {self.failed}"
        return text + "".join(f"; {channel} unavailable" for channel in self.unavailable)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try: base × 2^(attempts-1), capped (OUTBOX_RETRY_* settings)."""
    config = current_app.config
    base = float(config.get("OUTBOX_RETRY_BASE_SECONDS", 60))
    cap = float(config.get("OUTBOX_RETRY_MAX_SECONDS", 6 * 3600))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def lease() -> dt.timedelta:
    """How long a claimed message is reserved for one worker (OUTBOX_LEASE_SECONDS)."""
    return dt.timedelta(seconds=float(current_app.config.get("OUTBOX_LEASE_SECONDS", 300)))


def _claim(channels: list[str], only_ids: list[int] | None) -> Envelope | None:
    """Lease the next due message (or one whose lease ran out) and commit the lease.

    One UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING: on PostgreSQL the inner SELECT skips
    rows other workers hold (SKIP LOCKED); on SQLite the write lock is taken at once.
    """
    now = utcnow()
    until = now + lease()
    due = (select(OutboxMessage.id)
           .where(OutboxMessage.state.in_(("pending", "sending")),
                  OutboxMessage.next_attempt_at <= now, OutboxMessage.channel.in_(channels))
           .order_by(OutboxMessage.id).limit(1))
    if only_ids is not None:
        due = due.where(OutboxMessage.id.in_(only_ids))
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    stmt = (update(OutboxMessage).where(OutboxMessage.id == due.scalar_subquery())
            .values(state="sending", attempts=OutboxMessage.attempts + 1, next_attempt_at=until)
            .returning(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.recipient,
                       OutboxMessage.subject, OutboxMessage.body, OutboxMessage.message_id,
                       OutboxMessage.attempts, OutboxMessage.last_error)
            .execution_options(synchronize_session=False))
    row = db.session.execute(stmt).first()
    db.session.commit()
    if row is None:
        return None
    return Envelope(id=row.id, channel=row.channel, recipient=row.recipient,
                    subject=row.subject or "", body=row.body or "",
                    message_id=row.message_id or f"<outbox-{row.id}@motcua.local>",
                    attempts=row.attempts, lease_until=until)


def _outcome(envelope: Envelope, error: BaseException | None) -> dict:
    """The row's new values, with retry times counted from now, after the send."""
    finished = utcnow()
    if error is None:
        return {"state": "sent", "sent_at": finished, "last_error": None}
    values = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
    if envelope.attempts >= int(current_app.config.get("OUTBOX_MAX_ATTEMPTS", 8)):
        return {**values, "state": "failed"}
    return {**values, "state": "pending", "next_attempt_at": finished + backoff(envelope.attempts)}


def _record(envelope: Envelope, values: dict) -> bool:
    """Write the outcome, reconnecting while the lease lasts; False if another worker took over."""
    stmt = (update(OutboxMessage)
            .where(OutboxMessage.id == envelope.id, OutboxMessage.state == "sending",
                   OutboxMessage.attempts == envelope.attempts)
            .values(**values).execution_options(synchronize_session=False))
    delay = 0.2
    while True:
        try:
            written = db.session.execute(stmt).rowcount
            db.session.commit()
            if written == 1:
                return True
            # A lost answer to an earlier commit may have written it already.
            row = db.session.execute(select(OutboxMessage.state, OutboxMessage.attempts)
                                     .where(OutboxMessage.id == envelope.id)).first()
            db.session.rollback()
            return row is not None and row.attempts == envelope.attempts and row.state == values["state"]
        except SQLAlchemyError as exc:
            reset_session()
            if utcnow() + dt.timedelta(seconds=delay) >= envelope.lease_until:
                log.error("outbox %s: could not record %s before the lease ended (%s); it will "
                          "be sent again with the same Message-ID", envelope.id, values["state"], exc)
                raise
            log.warning("outbox %s: recording %s failed (%s); retrying", envelope.id,
                        values["state"], exc)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def deliver_pending(limit: int | None = None, only_ids: list[int] | None = None,
                    channels: tuple[str, ...] | list[str] = CHANNELS) -> DeliveryStats:
    """Deliver due messages one by one until none is due (or `limit`).

    A channel whose server is down is left alone for the rest of the round: its other
    messages wait for the next round instead of each waiting for the same timeout.
    """
    stats = DeliveryStats()
    open_channels = list(channels)
    while open_channels and (limit is None or stats.total < limit):
        envelope = _claim(open_channels, only_ids)
        if envelope is None:
            break
        error: BaseException | None = None
        try:
            send(envelope)
        except ChannelUnavailable as exc:
            error = exc
            open_channels.remove(envelope.channel)
            stats.unavailable.append(envelope.channel)
        except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried
            error = exc
        values = _outcome(envelope, error)
        if not _record(envelope, values):
            log.warning("outbox %s: lease lost; another worker owns it now", envelope.id)
            continue
        if error is None:
            stats.sent += 1
        elif values["state"] == "failed":
            stats.failed += 1
            log.error("outbox %s gave up after %s attempts: %s", envelope.id, envelope.attempts, error)
        else:
            stats.retried += 1
            log.warning("outbox %s failed (attempt %s), retry at %s: %s", envelope.id,
                        envelope.attempts, values["next_attempt_at"], error)
    return stats


def deliver_now(ids: list[int]) -> None:
    """Best-effort delivery right after a commit (OUTBOX_DELIVER_INLINE); the worker retries."""
    config = current_app.config
    if not ids or not config.get("OUTBOX_DELIVER_INLINE", config.get("MAIL_BACKEND_LOG_ONLY", False)):
        return
    try:
        deliver_pending(only_ids=list(ids))
    except Exception:  # noqa: BLE001 - never fail the citizen's request for a notification
        reset_session()
        log.exception("inline delivery failed; the outbox worker will retry")
