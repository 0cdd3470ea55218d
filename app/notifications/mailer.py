"""Sending one email: through Flask-Mail, or into a development mail log."""
from __future__ import annotations

import socket
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from flask_mail import Message

from app.core.types import utcnow
from app.extensions import mail


def mail_log_path() -> Path:
    """Where MAIL_BACKEND_LOG_ONLY writes mails (MAIL_LOG_PATH, default instance/mail.log)."""
    configured = current_app.config.get("MAIL_LOG_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "mail.log"


@contextmanager
def _socket_timeout(seconds: float):
    """Flask-Mail opens SMTP without a timeout: a hung server must not block the worker."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def send_email(recipient: str, subject: str, body: str) -> None:
    """Deliver one plain-text email; raises when the server refuses or is unreachable."""
    config = current_app.config
    if config.get("MAIL_BACKEND_LOG_ONLY"):
        path = mail_log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"=== {utcnow().isoformat(timespec='seconds')}\n"
                         f"From: {config.get('MAIL_DEFAULT_SENDER')}\nTo: {recipient}\n"
                         f"Subject: {subject}\n\n{body}\n\n")
        return
    message = Message(subject=subject, recipients=[recipient], body=body,
                      sender=config.get("MAIL_DEFAULT_SENDER"))
    with _socket_timeout(float(config.get("MAIL_TIMEOUT", 15))):
        mail.send(message)
