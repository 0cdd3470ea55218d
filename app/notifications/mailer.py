"""Sending one email over SMTP with a timeout, or into a development mail log."""
from __future__ import annotations

import smtplib
from pathlib import Path

from flask import current_app
from flask_mail import Message, email_dispatched, sanitize_address, sanitize_addresses

from app.core.types import utcnow
from app.notifications.channels import ChannelUnavailable

# The server is unreachable, silent or gone, as opposed to refusing this one message.
SERVER_DOWN = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, smtplib.SMTPHeloError,
               smtplib.SMTPAuthenticationError)


def mail_log_path() -> Path:
    """Where MAIL_BACKEND_LOG_ONLY writes mails (MAIL_LOG_PATH, default instance/mail.log)."""
    configured = current_app.config.get("MAIL_LOG_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "mail.log"


def mail_timeout() -> float:
    """MAIL_TIMEOUT: the longest wait for the server to connect or answer any one step."""
    return float(current_app.config.get("MAIL_TIMEOUT") or 10)


def send_email(recipient: str, subject: str, body: str, message_id: str | None = None) -> None:
    """Deliver one plain-text email; raises when the server refuses or is unreachable."""
    config = current_app.config
    if config.get("MAIL_BACKEND_LOG_ONLY"):
        path = mail_log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"=== {utcnow().isoformat(timespec='seconds')}\n"
                         f"From: {config.get('MAIL_DEFAULT_SENDER')}\nTo: {recipient}\n"
                         f"Message-ID: {message_id or ''}\nSubject: {subject}\n\n{body}\n\n")
        return
    message = Message(subject=subject, recipients=[recipient], body=body,
                      sender=config.get("MAIL_DEFAULT_SENDER"))
    if message_id:
        message.msgId = message_id
    _smtp_send(message)


def _smtp_send(message: Message) -> None:
    """One SMTP conversation; Flask-Mail's own opens sockets without any timeout."""
    state = current_app.extensions["mail"]
    if not state.suppress:
        try:
            host = _open(state)
        except (OSError, *SERVER_DOWN) as exc:
            raise ChannelUnavailable(f"mail server {state.server}:{state.port}: {_describe(exc)}") from exc
        try:
            host.sendmail(sanitize_address(message.sender), list(sanitize_addresses(message.send_to)),
                          message.as_bytes())
        except SERVER_DOWN as exc:
            host.close()
            raise ChannelUnavailable(f"mail server {state.server}:{state.port}: {_describe(exc)}") from exc
        except smtplib.SMTPException:
            host.close()
            raise
        except OSError as exc:  # a timeout or a reset in the middle of the conversation
            host.close()
            raise ChannelUnavailable(f"mail server {state.server}:{state.port}: {_describe(exc)}") from exc
        try:
            host.quit()
        except (OSError, smtplib.SMTPException):  # the message was accepted; only the goodbye failed
            host.close()
    email_dispatched.send(current_app._get_current_object(), message=message)


def _open(state) -> smtplib.SMTP:
    timeout = mail_timeout()
    cls = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
    host = cls(state.server, state.port, timeout=timeout)
    try:
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
    except BaseException:
        host.close()
        raise
    return host


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return f"no answer within {mail_timeout():g} s"
    return f"{type(exc).__name__}: {exc}"
