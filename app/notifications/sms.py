"""SMS gateways behind one interface; the default one records messages instead of sending."""
from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod

from flask import current_app
from flask_appbuilder import Model
from sqlalchemy import DateTime, String, Text, insert
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import utcnow
from app.extensions import db
from app.notifications.channels import ChannelUnavailable

log = logging.getLogger(__name__)


class SmsRecord(Model):
    """An SMS the recording gateway 'sent' (development, tests, deployments without SMS)."""

    __tablename__ = "sms_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(30), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SmsGateway(ABC):
    """Sends one text message; raises on failure so the outbox retries."""

    @abstractmethod
    def send(self, recipient: str, text: str, message_id: str = "") -> None: ...


class RecordingSmsGateway(SmsGateway):
    """SMS_BACKEND=log: a row in sms_records and a log line, committed at once like a real send."""

    def send(self, recipient: str, text: str, message_id: str = "") -> None:
        # Its own connection: the outbox sends outside any transaction of its session.
        with db.engine.begin() as connection:
            connection.execute(insert(SmsRecord).values(recipient=recipient, body=text,
                                                        created_at=utcnow()))
        log.info("SMS to %s: %s", recipient, text)


class HttpSmsGateway(SmsGateway):
    """SMS_BACKEND=http: POST {"to","text","id"} as JSON to SMS_GATEWAY_URL with a bearer token.

    `id` is the message's stable identifier: the same on a resend, so the gateway can drop it.
    """

    def __init__(self, url: str, token: str = "", timeout: float = 10.0):
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, recipient: str, text: str, message_id: str = "") -> None:
        import requests

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = requests.post(self.url, json={"to": recipient, "text": text, "id": message_id},
                                     headers=headers, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise ChannelUnavailable(f"SMS gateway {self.url}: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise ChannelUnavailable(f"SMS gateway {self.url}: HTTP {response.status_code}")
        response.raise_for_status()


def get_gateway() -> SmsGateway:
    """The gateway chosen by SMS_BACKEND ("log" by default, or "http")."""
    config = current_app.config
    backend = (config.get("SMS_BACKEND") or "log").lower()
    if backend == "http":
        return HttpSmsGateway(config["SMS_GATEWAY_URL"], config.get("SMS_GATEWAY_TOKEN", ""),
                              float(config.get("SMS_GATEWAY_TIMEOUT", 10)))
    return RecordingSmsGateway()
