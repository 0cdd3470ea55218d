"""Outbox workers (real `flask outbox run` processes) under killed connections, a killed worker
and a mail server that never answers."""
from __future__ import annotations

import threading
import time

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.sms import SmsRecord
from tests.faults.pgproxy import database_url_from_env, kill_other_connections
from tests.faults.test_outbox_faults import messages, queue, wait_until
from tests.portal.smtp import Inbox, free_port
from tests.soak.processes import start_worker, stop

MESSAGES = 300


def test_outbox_workers_under_a_storm_of_killed_connections_and_a_killed_worker(app, soak):
    url = database_url_from_env()
    queue(app, MESSAGES)
    stored = {m.message_id for m in messages(app)}
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    config = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "OUTBOX_LEASE_SECONDS": 5}
    workers = [start_worker(url, "--interval", "0.2", **config) for _ in range(2)]
    kills = {"rounds": 0}
    calm = threading.Event()

    def storm() -> None:
        while not calm.wait(0.3):
            kill_other_connections(url)
            kills["rounds"] += 1

    started = time.monotonic()
    threading.Thread(target=storm, daemon=True).start()
    try:
        wait_until(lambda: len(inbox.messages) >= MESSAGES // 3, timeout=120)
        workers[0].kill()  # SIGKILL in the middle of the run; a supervisor starts a new one
        workers[0].wait()
        workers[0] = start_worker(url, "--interval", "0.2", **config)
        done = wait_until(lambda: {m.state for m in messages(app)} == {"sent"}, timeout=240)
        elapsed = time.monotonic() - started
        calm.set()
        alive = sum(w.poll() is None for w in workers)
    finally:
        calm.set()
        for worker in workers:
            stop(worker)
        controller.stop()
    ids = [m["Message-ID"] for m in inbox.messages]
    name = "outbox: killed connections + SIGKILL"
    soak(name, "messages delivered", f"{len(set(ids) & stored)}/{MESSAGES}", f"{MESSAGES}/{MESSAGES}",
         done and set(ids) == stored)
    soak(name, "pg_terminate_backend rounds", kills["rounds"], "> 0", kills["rounds"] > 0)
    soak(name, "workers alive at the end", f"{alive}/2", "2/2", alive == 2)
    resent = len(ids) - len(set(ids))
    soak(name, "resends, same Message-ID", resent, "≤ 1 (the killed worker's)", resent <= 1)
    soak(name, "seconds", f"{elapsed:.1f}", "", True)
    assert done and set(ids) == stored and alive == 2 and resent <= 1


def test_a_silent_mail_server_delays_no_sms_and_burns_no_attempts(app, soak):
    import socket

    url = database_url_from_env()
    queue(app, 100, "email")
    queue(app, 100, "sms")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # accepts, never answers
    started = time.monotonic()
    worker = start_worker(url, "--interval", "1", MAIL_SERVER="127.0.0.1",
                          MAIL_PORT=listener.getsockname()[1], MAIL_TIMEOUT=2)
    try:
        # Serially, 100 mails queued first would cost 100 × 2 s before the first SMS.
        sms_done = wait_until(lambda: _count(app, SmsRecord) == 100, timeout=90)
        sms_seconds = time.monotonic() - started
        time.sleep(8)
        window = time.monotonic() - started
    finally:
        stop(worker)
        listener.close()
    rows = messages(app, "email")
    tried = [m for m in rows if m.attempts]
    with app.app_context():
        first, last = db.session.execute(select(func.min(SmsRecord.created_at),
                                                func.max(SmsRecord.created_at))).one()
        db.session.remove()
    spread = (last - first).total_seconds() if first and last else -1
    rounds = int(window / 2) + 1  # at most one timeout per round
    name = "outbox: mail server silent (MAIL_TIMEOUT 2 s)"
    soak(name, "SMS sent", f"{_count(app, SmsRecord)}/100", "100/100", sms_done)
    soak(name, "seconds until every SMS was out", f"{sms_seconds:.1f}", "< 90 (serially: > 200)",
         sms_done)
    soak(name, "seconds from first to last SMS", f"{spread:.1f}", "", True)
    soak(name, "emails tried / left untouched", f"{len(tried)} / {len(rows) - len(tried)}",
         f"≤ 1 per round (≤ {rounds})", len(tried) <= rounds)
    soak(name, "emails sent or given up", sum(m.state in ("sent", "failed") for m in rows), "0",
         all(m.state == "pending" for m in rows))
    assert sms_done and len(tried) <= rounds and all(m.state == "pending" for m in rows)


def _count(app, model) -> int:
    with app.app_context():
        value = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
        return value


__all__ = ["OutboxMessage"]
