"""Per-user quotas on creating, submitting and uploading; SMS to a number the account does not
hold waits for the office's receipt (no SMS pumping)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.helpers import auth

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_draft(client, headers, birth, phone="0912345678"):
    return client.post("/api/v1/dossiers", headers=headers, json={
        "procedure": birth["procedure"], "unit": birth["unit"],
        "contact": {"phone": phone, "email": "a@example.test"}})


def test_creating_is_limited_per_user(limited, birth):
    limited.config["DOSSIER_CREATE_QUOTA"] = "2 per hour"
    client = limited.test_client()
    headers = auth(client, "citizen")
    codes = [new_draft(client, headers, birth).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert new_draft(client, headers, birth).get_json()["message"]
    assert new_draft(client, auth(client, "citizen2"), birth).status_code == 201  # per user


def test_uploading_is_limited_per_user(limited, birth):
    limited.config["UPLOAD_QUOTA"] = "1 per hour"
    client = limited.test_client()
    headers = auth(client, "citizen")
    code = new_draft(client, headers, birth).get_json()["code"]
    detail = client.get(f"/api/v1/procedures/{birth['procedure']}").get_json()
    key = detail["required_documents"][0]["key"]
    import io

    codes = [client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers, data={
        "document_key": key, "file": (io.BytesIO(PDF), "a.pdf")}).status_code for _ in range(2)]
    assert codes[1] == 429 and codes[0] != 429


def test_submitting_is_limited_per_user(limited, birth):
    limited.config["DOSSIER_SUBMIT_QUOTA"] = "1 per hour"
    client = limited.test_client()
    headers = auth(client, "citizen")
    first, second = (new_draft(client, headers, birth).get_json()["code"] for _ in range(2))
    client.post(f"/api/v1/dossiers/{first}/submit", headers=headers)
    response = client.post(f"/api/v1/dossiers/{second}/submit", headers=headers)
    assert response.status_code == 429


def test_quotas_are_lifted_with_the_rate_limits(client, birth, app):
    app.config["DOSSIER_CREATE_QUOTA"] = "1 per hour"
    headers = auth(client, "citizen")
    assert [new_draft(client, headers, birth).status_code for _ in range(3)] == [201] * 3


def sms_states(app, code):
    from app.dossiers.models import Dossier

    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        return [m.state for m in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.dossier_id == dossier.id, OutboxMessage.channel == "sms"))]


def file_and_submit(client, headers, birth, phone) -> str:
    from tests.portal.data import birth_data
    from tests.portal.test_api_filing import attach, new_dossier

    contact = {"phone": phone, "email": "an@example.test"}
    code = new_dossier(client, headers, birth, contact=contact)
    assert client.put(f"/api/v1/dossiers/{code}", headers=headers, json={
        "data": birth_data(), "contact": contact}).status_code == 200
    assert attach(client, headers, code).status_code == 201
    assert client.post(f"/api/v1/dossiers/{code}/submit", headers=headers).status_code == 200
    return code


def test_sms_to_another_number_waits_for_the_officers_receipt(app, client, birth):
    headers = auth(client, "citizen")  # the account's phone is 0912345678
    own = file_and_submit(client, headers, birth, "0912345678")
    other = file_and_submit(client, headers, birth, "0933333333")
    assert sms_states(app, own) and "held" not in sms_states(app, own)
    assert sms_states(app, other) and set(sms_states(app, other)) == {"held"}
    officer = auth(client, "officer")
    received = client.post(f"/api/v1/dossiers/{other}/actions", headers=officer,
                           json={"action": "receive"})
    assert received.status_code == 200, received.get_json()
    assert "held" not in sms_states(app, other)
