"""Counter intake through the API: a walk-in's draft, its scans, receipt on the spot, the claim."""
from __future__ import annotations

import io

from app import create_app
from app.extensions import db
from tests.helpers import auth
from tests.portal.data import pdf_bytes

WALK_IN = {"name": "Trần Thị Bình", "id_number": "001190012345", "phone": "0987654321"}


def counter_draft(client, world, headers, **extra):
    body = {"procedure": world.procedure_code, "unit": world.unit_code, "applicant": WALK_IN,
            "data": {"full_name": "Trần Văn Con"}, "delivery": {"method": "office"}, **extra}
    return client.post("/api/v1/counter/dossiers", json=body, headers=headers)


def attach(client, code, headers):
    return client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                       data={"document_key": "to_khai", "file": (io.BytesIO(pdf_bytes()), "scan.pdf")},
                       content_type="multipart/form-data")


def test_officer_files_scans_and_receives_a_walk_in_dossier(client, world, app):
    officer = auth(client, "officer")
    response = counter_draft(client, world, officer)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "draft" and created["channel"] == "counter"
    code = created["code"]
    # Without the scan the submission checks refuse the receipt, naming the missing paper.
    refused = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"},
                          headers=officer)
    assert refused.status_code == 422
    assert any(e["path"] == "/attachments/to_khai" for e in refused.get_json()["errors"])
    assert attach(client, code, officer).status_code == 201
    received = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"},
                           headers=officer)
    assert received.status_code == 200, received.get_json()
    assert received.get_json()["status"] == "received" and received.get_json()["due_date"]
    detail = client.get(f"/api/v1/dossiers/{code}", headers=officer).get_json()
    assert detail["channel"] == "counter" and detail["register_number"] == 1
    assert detail["applicant"] == {"name": "Trần Thị Bình", "id_number": "001190012345"}
    assert detail["submitted_at"] and detail["due_at"]
    with app.app_context():
        from app.notifications.models import OutboxMessage

        sms = db.session.query(OutboxMessage).filter_by(channel="sms", recipient="0987654321").all()
        assert [m.event for m in sms] == ["received"]


def test_only_officers_of_the_unit_take_counter_dossiers(client, world):
    assert counter_draft(client, world, auth(client, "officer2")).status_code == 403
    assert counter_draft(client, world, auth(client, "citizen")).status_code == 403
    assert counter_draft(client, world, auth(client, "auditor")).status_code == 403


def test_walk_in_details_are_checked(client, world):
    response = counter_draft(client, world, auth(client, "officer"),
                             applicant={"name": " ", "id_number": "12", "phone": "12345"})
    assert response.status_code == 422
    paths = {e["path"] for e in response.get_json()["errors"]}
    assert {"/applicant/name", "/applicant/id_number", "/applicant/phone"} <= paths


def test_a_counter_draft_is_hidden_from_other_units_and_online_drafts_cannot_be_received(
        client, world, app):
    code = counter_draft(client, world, auth(client, "officer")).get_json()["code"]
    assert client.get(f"/api/v1/dossiers/{code}", headers=auth(client, "officer2")).status_code == 404
    assert client.get(f"/api/v1/dossiers/{code}", headers=auth(client, "colleague")).status_code == 200
    with app.app_context():
        from app.dossiers.operations import DossierError, perform_action
        from tests.backoffice.util import new_dossier, user

        online = new_dossier(world, status="needs_supplement")  # filed online, awaiting papers
        try:
            perform_action(user("officer"), online, "receive")
        except DossierError as exc:
            assert exc.status == 409  # online, the citizen resubmits; only the counter receives
        else:
            raise AssertionError("an online dossier was received from needs_supplement")


def test_citizen_claims_a_counter_dossier_with_code_and_phone(client, world, app):
    officer = auth(client, "officer")
    code = counter_draft(client, world, officer).get_json()["code"]
    attach(client, code, officer)
    client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"}, headers=officer)
    citizen = auth(client, "citizen")
    assert client.get(f"/api/v1/dossiers/{code}", headers=citizen).status_code == 404
    wrong = client.post("/api/v1/counter/claim", json={"code": code, "phone": "0911111111"},
                        headers=citizen)
    unknown = client.post("/api/v1/counter/claim", json={"code": "X-1", "phone": "0987654321"},
                          headers=citizen)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json()["message"] == unknown.get_json()["message"]  # nothing to tell apart
    claimed = client.post("/api/v1/counter/claim", json={"code": code, "phone": "+84987654321"},
                          headers=citizen)
    assert claimed.status_code == 200 and claimed.get_json()["code"] == code
    assert client.get(f"/api/v1/dossiers/{code}", headers=citizen).status_code == 200
    again = client.post("/api/v1/counter/claim", json={"code": code, "phone": "0987654321"},
                        headers=auth(client, "citizen2"))
    assert again.status_code == 404


def test_claims_are_rate_limited(app, world):
    limited = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                         UPLOAD_DIR=app.config["UPLOAD_DIR"], RATELIMIT_ENABLED=True,
                         CLAIM_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    citizen = auth(client, "citizen")
    answers = [client.post("/api/v1/counter/claim", json={"code": f"X-{i}", "phone": "0987654321"},
                           headers=citizen).status_code for i in range(4)]
    assert answers == [404, 404, 404, 429]


def test_the_unit_fills_in_and_can_drop_a_counter_draft(client, world, app):
    officer = auth(client, "officer")
    code = counter_draft(client, world, officer).get_json()["code"]
    changed = client.put(f"/api/v1/dossiers/{code}", headers=officer,
                         json={"data": {"full_name": "Trần Văn Út"}})
    assert changed.status_code == 200 and changed.get_json()["data"] == {"full_name": "Trần Văn Út"}
    assert client.put(f"/api/v1/dossiers/{code}", headers=auth(client, "officer2"),
                      json={"data": {}}).status_code == 404
    dropped = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                          json={"action": "withdraw", "note": "Người nộp không bổ sung được"})
    assert dropped.status_code == 200 and dropped.get_json()["status"] == "withdrawn"


def test_a_supplement_brought_to_the_counter_is_received_there(client, world, app):
    officer = auth(client, "officer")
    code = counter_draft(client, world, officer).get_json()["code"]
    attach(client, code, officer)
    client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"}, headers=officer)
    asked = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer, json={
        "action": "request_supplement", "note": "Bản chụp mờ", "items": ["Tờ khai"]})
    assert asked.get_json()["status"] == "needs_supplement"
    assert attach(client, code, officer).status_code == 201  # the clearer scan
    again = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"},
                        headers=officer)
    assert again.status_code == 200 and again.get_json()["status"] == "received"
    assert client.get(f"/api/v1/dossiers/{code}", headers=officer).get_json()["register_number"] == 1
