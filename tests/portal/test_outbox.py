"""Notification delivery: a real SMTP conversation, retries with back-off, no duplicates."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.notifications.delivery import backoff, deliver_pending
from app.notifications.models import OutboxMessage
from app.notifications.sms import SmsRecord
from tests.helpers import auth
from tests.portal.data import birth_data, pdf_bytes, upload
from tests.portal.smtp import free_port, point_mail_at, smtp_server


def submitted_dossier(client, birth) -> str:
    headers = auth(client, "citizen")
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": {"phone": "0912345678", "email": "an@example.com"},
            "delivery": {"method": "office"}}
    code = client.post("/api/v1/dossiers/", json=body, headers=headers).get_json()["code"]
    client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                data={"document_key": "giay_chung_sinh", "file": upload(pdf_bytes(), "gcs.pdf")},
                content_type="multipart/form-data")
    assert client.post(f"/api/v1/dossiers/{code}/submit", headers=headers).status_code == 200
    return code


def test_submission_email_arrives_through_smtp_and_sms_is_recorded(app, client, birth):
    code = submitted_dossier(client, birth)
    with smtp_server(app) as inbox, app.app_context():
        stats = deliver_pending()
        assert (stats.sent, stats.retried, stats.failed) == (2, 0, 0)
        sms = db.session.scalars(select(SmsRecord)).all()
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "an@example.com"
    assert code in message["Subject"]
    body = message.get_content()
    assert f"/lookup?code={code}" in body
    assert "Đăng ký khai sinh" in body and "Xã Lộc Tấn" in body
    assert [s.recipient for s in sms] == ["0912345678"] and code in sms[0].body


def test_failing_mail_server_keeps_the_message_and_retries_later_once(app, client, birth):
    code = submitted_dossier(client, birth)
    dead_port = free_port()  # nothing listens there
    with point_mail_at(app, dead_port), app.app_context():
        before = utcnow()
        stats = deliver_pending()
        assert (stats.sent, stats.retried) == (1, 1)  # the SMS went, the email waits
        email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "email"))
        assert email.state == "pending" and email.attempts == 1 and email.last_error
        assert email.next_attempt_at.replace(tzinfo=dt.timezone.utc) >= before + dt.timedelta(seconds=59)
        # Not due yet: a second run sends nothing.
        assert deliver_pending().sent == 0
    response = client.get(f"/api/v1/lookup?code={code}&phone4=5678")
    assert response.get_json()["status"] == "submitted"  # the dossier did not wait for the mail

    with smtp_server(app) as inbox, app.app_context():
        email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "email"))
        email.next_attempt_at = utcnow() - dt.timedelta(seconds=1)  # the back-off has passed
        db.session.commit()
        assert deliver_pending().sent == 1
        assert deliver_pending().sent == 0
        email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "email"))
        assert email.state == "sent" and email.attempts == 2
    assert len(inbox.messages) == 1


def test_backoff_doubles_and_gives_up_after_the_last_attempt(app, client, birth):
    submitted_dossier(client, birth)
    with app.app_context():
        assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
        app.config["OUTBOX_MAX_ATTEMPTS"] = 2
        try:
            with point_mail_at(app, free_port()):
                for _ in range(2):
                    db.session.execute(OutboxMessage.__table__.update().values(
                        next_attempt_at=utcnow() - dt.timedelta(seconds=1)))
                    db.session.commit()
                    deliver_pending()
            email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "email"))
            assert email.state == "failed" and email.attempts == 2
        finally:
            app.config.pop("OUTBOX_MAX_ATTEMPTS")


def test_outbox_run_once_command_drains_the_queue(app, client, birth):
    submitted_dossier(client, birth)
    with smtp_server(app) as inbox:
        result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output
    assert len(inbox.messages) == 1


def test_development_mail_log_receives_the_mail(app, client, birth, tmp_path):
    log_path = tmp_path / "mail.log"
    app.config.update(MAIL_BACKEND_LOG_ONLY=True, MAIL_LOG_PATH=str(log_path))
    try:
        code = submitted_dossier(client, birth)  # delivered inline in development
    finally:
        app.config.pop("MAIL_BACKEND_LOG_ONLY")
        app.config.pop("MAIL_LOG_PATH")
    text = log_path.read_text(encoding="utf-8")
    assert "To: an@example.com" in text and code in text
    with app.app_context():
        states = {m.state for m in db.session.scalars(select(OutboxMessage))}
    assert states == {"sent"}
