"""The transactional outbox of email and SMS notifications."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Optional

from flask import current_app, has_app_context
from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import JSONType, utcnow

CHANNELS = ("email", "sms")
# pending → sending (leased to one worker) → sent | pending (retry) | failed (given up)
# "held": an SMS waiting for the office to vouch for its number (never claimed by a worker).
OUTBOX_STATES = ("held", "pending", "sending", "sent", "failed")


def new_message_id() -> str:
    """A globally unique RFC 5322 Message-ID, fixed when the message is queued."""
    domain = "motcua.local"
    if has_app_context():
        sender = str(current_app.config.get("MAIL_DEFAULT_SENDER") or "")
        tail = sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else ""
        domain = tail or domain
    return f"<{uuid.uuid4().hex}@{domain}>"


class OutboxMessage(Model):
    """One message to deliver; written in the same transaction as the change it announces.

    `next_attempt_at` is when the message may next be tried; for a `sending` message it is
    the end of the worker's lease, after which another worker may take it over.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    event: Mapped[str] = mapped_column(String(50), default="")
    locale: Mapped[str] = mapped_column(String(10), default="vi")
    dossier_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("dossiers.id", ondelete="NO ACTION"), index=True)
    context: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # The same on every attempt, so a resend is recognisable as the same message.
    message_id: Mapped[Optional[str]] = mapped_column(String(255), default=new_message_id)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
