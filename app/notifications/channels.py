"""The delivery channels behind one call, and the error that pauses a whole channel."""
from __future__ import annotations

from dataclasses import dataclass


class ChannelUnavailable(Exception):
    """The channel's server cannot be reached: stop trying its other messages for this round."""


@dataclass(frozen=True)
class Envelope:
    """What a worker needs to send one claimed message, read before its lease committed."""

    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    message_id: str
    attempts: int
    lease_until: object


def send(envelope: Envelope) -> None:
    """Hand one message to its channel; raises on failure (ChannelUnavailable when it is down)."""
    from app.notifications.mailer import send_email
    from app.notifications.sms import get_gateway

    if envelope.channel == "email":
        send_email(envelope.recipient, envelope.subject, envelope.body, envelope.message_id)
    elif envelope.channel == "sms":
        get_gateway().send(envelope.recipient, envelope.body, envelope.message_id)
    else:
        raise ValueError(f"unknown channel {envelope.channel!r}")
