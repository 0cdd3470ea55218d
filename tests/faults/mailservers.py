"""Mail servers that misbehave: one that accepts and stays silent, one that hangs at DATA."""
from __future__ import annotations

import asyncio
import socket
import threading
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from tests.portal.smtp import Inbox, free_port, point_mail_at


@contextmanager
def silent_server(app):
    """A socket that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    with point_mail_at(app, listener.getsockname()[1]):
        try:
            yield
        finally:
            listener.close()
            for conn in held:
                conn.close()


class HangingInbox(Inbox):
    """Greets, takes the message, and never answers the end of DATA."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.sleep(3600)
        return "250 OK"


@contextmanager
def hanging_server(app):
    port = free_port()
    controller = Controller(HangingInbox(), hostname="127.0.0.1", port=port)
    controller.start()
    with point_mail_at(app, port):
        try:
            yield
        finally:
            controller.stop()


@contextmanager
def mail_timeout(app, seconds: float):
    saved = app.config.get("MAIL_TIMEOUT")
    app.config["MAIL_TIMEOUT"] = seconds
    try:
        yield
    finally:
        app.config["MAIL_TIMEOUT"] = saved
