"""The outbox under faults: a hung mail server, killed connections, a vanished database."""
from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.core.outage import reset_session
from app.core.types import utcnow
from app.extensions import db
from app.notifications import worker
from app.notifications.delivery import deliver_pending
from app.notifications.models import OutboxMessage
from app.notifications.outbox import queue_message
from app.notifications.sms import SmsRecord
from tests.faults.mailservers import hanging_server, mail_timeout, silent_server
from tests.faults.pgproxy import database_url_from_env, kill_other_connections
from tests.portal.smtp import Inbox, smtp_server
from tests.portal.test_outbox import submitted_dossier


def aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def queue(app, count: int, channel: str = "email") -> list[int]:
    with app.app_context():
        messages = [queue_message(channel, f"dan{i}@example.com" if channel == "email" else "0912345678",
                                  f"Hồ sơ số {i}", f"Nội dung {i}", event="submitted")
                    for i in range(count)]
        db.session.commit()
        return [m.id for m in messages]


def messages(app, channel: str | None = None) -> list[OutboxMessage]:
    """The outbox rows; the test's own connection may be killed too, so it asks again."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if channel:
        stmt = stmt.where(OutboxMessage.channel == channel)
    for _ in range(20):
        try:
            with app.app_context():
                try:
                    rows = db.session.scalars(stmt).all()
                    db.session.expunge_all()
                    db.session.rollback()
                finally:
                    reset_session()
            return rows
        except OperationalError:
            time.sleep(0.05)
    raise AssertionError("the database stayed unreachable")


def wait_until(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.mark.parametrize("server", [silent_server, hanging_server], ids=["silent-socket", "hangs-at-data"])
def test_a_hung_mail_server_holds_back_neither_sms_nor_other_mail(app, client, birth, server):
    for _ in range(3):
        submitted_dossier(client, birth)  # 3 emails and 3 SMS
    queue(app, 5)  # and 5 more emails: 8 timeouts in a row would take 16 s
    with server(app), mail_timeout(app, 2):
        started = utcnow()
        clock = time.monotonic()
        result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
        elapsed = time.monotonic() - clock
    assert result.exit_code == 0, result.output
    assert "sent 3" in result.output and "email unavailable" in result.output
    assert 1.9 <= elapsed < 5  # one documented timeout (MAIL_TIMEOUT), not one per message
    with app.app_context():
        sms = db.session.scalars(select(SmsRecord)).all()
    assert len(sms) == 3
    assert all(aware(s.created_at) < started + dt.timedelta(seconds=1.5) for s in sms)  # no wait
    emails = messages(app, "email")
    tried = [m for m in emails if m.attempts]
    assert len(tried) == 1 and "2 s" in tried[0].last_error and tried[0].state == "pending"
    assert [m.attempts for m in emails if m is not tried[0]] == [0] * 7  # not burnt on a dead server
    # The back-off counts from the failure, after the timeout, not from before the send.
    assert aware(tried[0].next_attempt_at) >= started + dt.timedelta(seconds=2 + 60)


def test_every_mail_carries_its_stable_message_id_and_a_resend_reuses_it(app):
    [message_id] = queue(app, 1)
    stored = messages(app)[0].message_id
    assert stored.startswith("<") and stored.endswith("@motcua.local>")
    with smtp_server(app) as inbox, app.app_context():
        from app.notifications.delivery import _claim

        envelope = _claim(["email"], None)  # a worker leases it and dies before sending
        assert envelope is not None
        assert deliver_pending().sent == 0  # the lease keeps every other worker off it
        db.session.execute(OutboxMessage.__table__.update().values(
            next_attempt_at=utcnow() - dt.timedelta(seconds=1)))  # the lease runs out
        db.session.commit()
        assert deliver_pending().sent == 1
    assert [m["Message-ID"] for m in inbox.messages] == [stored]
    row = messages(app)[0]
    assert row.id == message_id and row.state == "sent" and row.attempts == 2


def test_outbox_retry_puts_given_up_messages_back_and_never_resends_a_sent_one(app):
    ids = queue(app, 3)
    with app.app_context():
        db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id.in_(ids[:2]))
                           .values(state="failed", attempts=8, last_error="SMTPDataError"))
        db.session.execute(OutboxMessage.__table__.update().where(OutboxMessage.id == ids[2])
                           .values(state="sent", attempts=1))
        db.session.commit()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["outbox", "retry", "--id", str(ids[2]), "--id", "999999"])
    assert refused.exit_code == 1
    assert "already sent" in refused.output and "no such message" in refused.output
    assert [m.state for m in messages(app)] == ["failed", "failed", "sent"]
    result = runner.invoke(args=["outbox", "retry", "--failed"])
    assert result.exit_code == 0 and "2 message(s)" in result.output
    rows = messages(app)
    assert [(m.state, m.attempts) for m in rows] == [("pending", 0), ("pending", 0), ("sent", 1)]
    with smtp_server(app) as inbox:
        assert "sent 2" in runner.invoke(args=["outbox", "run", "--once"]).output
    assert len(inbox.messages) == 2


def test_outbox_retry_by_id_requeues_one_message(app):
    ids = queue(app, 2)
    with app.app_context():
        db.session.execute(OutboxMessage.__table__.update().values(state="failed", attempts=8))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "retry", "--id", str(ids[1])])
    assert result.exit_code == 0, result.output
    assert [m.state for m in messages(app)] == ["failed", "pending"]


class KillingInbox(Inbox):
    """Kills every database connection while the mail is being accepted: between send and commit."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        kill_other_connections(self.url)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.postgres
def test_connections_killed_between_send_and_commit_send_each_mail_exactly_once(app, postgres_only):
    from aiosmtpd.controller import Controller

    from tests.portal.smtp import free_port, point_mail_at

    url = database_url_from_env()
    count = 12
    queue(app, count)
    stored = {m.message_id for m in messages(app)}
    inbox, port = KillingInbox(url), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    app.config["OUTBOX_LEASE_SECONDS"] = 10
    killer_stop = threading.Event()

    def killer() -> None:  # and more killing, at random moments of every step
        while not killer_stop.wait(0.15):
            kill_other_connections(url)

    try:
        with point_mail_at(app, port):
            workers = [threading.Thread(target=worker.channel_loop, args=(app, "email", stop),
                                        kwargs={"interval": 0.1}, daemon=True) for _ in range(2)]
            for thread in workers + [threading.Thread(target=killer, daemon=True)]:
                thread.start()
            done = wait_until(lambda: {m.state for m in messages(app)} == {"sent"}, timeout=60)
            killer_stop.set()
            alive = [t.is_alive() for t in workers]
    finally:
        killer_stop.set()
        stop.set()
        controller.stop()
        app.config.pop("OUTBOX_LEASE_SECONDS")
    assert done, [(m.id, m.state, m.last_error) for m in messages(app)]
    assert alive == [True, True]  # both workers survived every killed connection
    received = [m["Message-ID"] for m in inbox.messages]
    assert len(received) == count and set(received) == stored  # none twice, none missing


@pytest.mark.postgres
def test_outbox_run_goes_on_after_its_connections_are_killed_and_the_database_vanishes(
        app, proxied):
    proxied_app, proxy = proxied
    stop = threading.Event()
    url = database_url_from_env()
    runner = threading.Thread(target=worker.run, args=(proxied_app,), daemon=True,
                              kwargs={"interval": 0.1, "stop": stop})
    runner.start()
    try:
        with smtp_server(proxied_app) as inbox:
            queue(app, 3)
            assert wait_until(lambda: len(inbox.messages) == 3)
            kill_other_connections(url)  # a pg_terminate_backend round
            queue(app, 3)
            assert wait_until(lambda: len(inbox.messages) == 6)
            proxy.down()  # the database goes away for a while (restart, failover)
            time.sleep(0.5)
            queue(app, 3, "sms")
            queue(app, 3)
            time.sleep(1.5)
            assert runner.is_alive() and len(inbox.messages) == 6
            proxy.up()
            assert wait_until(lambda: len(inbox.messages) == 9, timeout=40)
            assert wait_until(lambda: {m.state for m in messages(app)} == {"sent"}, timeout=20)
            assert runner.is_alive()
    finally:
        stop.set()
        runner.join(timeout=10)
    assert not runner.is_alive()  # and it stops when told to
