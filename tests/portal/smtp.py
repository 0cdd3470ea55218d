"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""
from __future__ import annotations

import email
import email.policy
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Collects messages as parsed email.message.EmailMessage objects."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@contextmanager
def smtp_server(app):
    """Start a server and point Flask-Mail's state (MAIL_SERVER/MAIL_PORT) at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    with point_mail_at(app, port):
        try:
            yield inbox
        finally:
            controller.stop()


@contextmanager
def point_mail_at(app, port: int):
    """Flask-Mail copies the config at init_app: change both the config and its state."""
    state = app.extensions["mail"]
    saved = (state.server, state.port, app.config["MAIL_SERVER"], app.config["MAIL_PORT"])
    state.server, state.port = "127.0.0.1", port
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield
    finally:
        state.server, state.port = saved[0], saved[1]
        app.config.update(MAIL_SERVER=saved[2], MAIL_PORT=saved[3])
