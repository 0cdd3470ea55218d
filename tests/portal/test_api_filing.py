"""The citizen's whole path through the JSON API, and each bad input on the way."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.procedures.operations import import_definition
from tests.helpers import auth
from tests.portal.data import (
    BIRTH_DEFINITION,
    birth_data,
    fake_pdf_bytes,
    pdf_bytes,
    png_bytes,
    upload,
)

CONTACT = {"phone": "0912345678", "email": "an@example.test"}


def new_dossier(client, headers, birth, **extra) -> str:
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": {},
            "contact": CONTACT, "delivery": {"method": "office"}, **extra}
    response = client.post("/api/v1/dossiers/", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def attach(client, headers, code, key="giay_chung_sinh", data=None, name="giay-chung-sinh.pdf"):
    return client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                       data={"document_key": key, "file": upload(data or pdf_bytes(), name)},
                       content_type="multipart/form-data")


def test_citizen_files_a_birth_registration_end_to_end(app, client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth)
    assert code.startswith("25279-")

    response = client.put(f"/api/v1/dossiers/{code}", headers=headers, json={
        "data": birth_data(), "contact": CONTACT,
        "delivery": {"method": "post", "address": {"province": "75", "commune": "25279",
                                                   "street": "12 Hùng Vương"}}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["delivery"]["address"]["street"] == "12 Hùng Vương"

    first = attach(client, headers, code)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["filename"] == "giay-chung-sinh.pdf" and body["size"] == len(pdf_bytes())
    assert len(body["sha256"]) == 64
    # Several files for one document: a second page as a photo.
    assert attach(client, headers, code, data=png_bytes(), name="trang-2.png").status_code == 201

    submitted = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "submitted"

    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert detail["status"] == "submitted" and detail["submitted_at"]
    # Filed online; the national portal would show it as a new dossier (docs/statuses.md).
    assert (detail["channel"], detail["national_status"]) == ("online", "new")
    assert [a["filename"] for a in detail["attachments"]] == ["giay-chung-sinh.pdf", "trang-2.png"]
    assert [e["action"] for e in detail["events"]] == ["create", "submit"]

    downloaded = client.get(f"/api/v1/dossiers/{code}/attachments/{body['id']}", headers=headers)
    assert downloaded.status_code == 200 and downloaded.data == pdf_bytes()

    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        channels = sorted(m.channel for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.dossier_id == dossier.id)))
    assert channels == ["email", "sms"]

    found = client.get(f"/api/v1/lookup?code={code}&phone4=5678")
    assert found.status_code == 200
    public = found.get_json()
    assert public["status"] == "submitted" and public["unit"]["code"] == "25279"
    assert "Nguyễn" not in found.get_data(as_text=True)  # no personal data
    assert "0912345678" not in found.get_data(as_text=True)

    withdrawn = client.post(f"/api/v1/dossiers/{code}/actions", headers=headers,
                            json={"action": "withdraw", "note": "Nộp nhầm"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    shown = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert shown["national_status"] == "cancelled"
    again = client.post(f"/api/v1/dossiers/{code}/actions", headers=headers, json={"action": "withdraw"})
    assert again.status_code == 409


def test_file_renamed_to_pdf_is_refused_by_content(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth)
    response = attach(client, headers, code, data=fake_pdf_bytes(), name="scan.pdf")
    assert response.status_code == 415
    assert response.get_json()["errors"][0]["path"] == "/file"
    assert client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["attachments"] == []


def test_png_named_pdf_is_stored_under_its_real_type(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth)
    response = attach(client, headers, code, data=png_bytes(), name="anh.pdf")
    assert response.status_code == 201
    assert response.get_json()["filename"] == "anh.png"
    assert response.get_json()["content_type"] == "image/png"


def test_oversize_file_and_dossier_total_answer_413(app, client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth)
    one = len(pdf_bytes())
    app.config.update(UPLOAD_MAX_FILE_BYTES=one + 100, UPLOAD_MAX_DOSSIER_BYTES=2 * one + 50)
    try:
        big = pdf_bytes() + b"%" + b"x" * 200
        too_big = attach(client, headers, code, data=big)
        assert too_big.status_code == 413 and too_big.get_json()["errors"][0]["path"] == "/file"
        assert attach(client, headers, code).status_code == 201
        assert attach(client, headers, code).status_code == 201
        assert attach(client, headers, code).status_code == 413  # the dossier's total
        stored = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["attachments"]
        assert len(stored) == 2
    finally:
        app.config.update(UPLOAD_MAX_FILE_BYTES=10 * 1024 * 1024,
                          UPLOAD_MAX_DOSSIER_BYTES=50 * 1024 * 1024)


def test_unknown_document_key_is_refused(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth)
    response = attach(client, headers, code, key="passport")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["path"] == "/document_key"


@pytest.fixture
def notice_required(app, birth) -> dict:
    """A copy of birth registration whose birth notice is required whatever the declaration says."""
    definition = json.loads(BIRTH_DEFINITION.read_text(encoding="utf-8"))
    definition["code"] = "9.001193"
    for doc in definition["required_documents"]:
        if doc["key"] == "giay_chung_sinh":
            doc["required"] = True
            doc.pop("required_when", None)
    with app.app_context():
        import_definition(definition, [birth["unit"]])
        db.session.commit()
    return {**birth, "procedure": "9.001193"}


def test_submit_without_required_document_lists_it(client, notice_required):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, notice_required, data=birth_data())
    response = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert response.status_code == 422
    paths = [e["path"] for e in response.get_json()["errors"]]
    assert paths == ["/attachments/giay_chung_sinh"]


def test_a_birth_with_the_electronic_birth_notice_is_filed_without_the_paper_one(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth, data={**birth_data(), "birth_notice": "dien_tu"})
    response = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "submitted"


def test_submit_with_invalid_data_answers_422_with_paths(client, birth):
    headers = auth(client, "citizen")
    data = birth_data()
    data["requester"]["citizen_id"] = "12345"
    del data["child"]["full_name"]
    code = new_dossier(client, headers, birth, data=data)
    attach(client, headers, code)
    response = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert response.status_code == 422
    errors = {e["path"]: e["message"] for e in response.get_json()["errors"]}
    assert "/data/requester/citizen_id" in errors
    assert "/data/child/full_name" in errors or "/data/child" in errors
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert detail["status"] == "draft"
    assert detail["data"]["requester"]["citizen_id"] == "12345"  # nothing entered is lost


def test_submit_needs_contact_and_post_address(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth, data=birth_data(), contact={"phone": "", "email": ""},
                       delivery={"method": "post"})
    attach(client, headers, code)
    response = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    paths = {e["path"] for e in response.get_json()["errors"]}
    assert {"/contact/phone", "/contact/email", "/delivery/address/street",
            "/delivery/address/commune"} <= paths


def test_update_refuses_bad_contact_and_keeps_the_stored_values(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth)
    response = client.put(f"/api/v1/dossiers/{code}", headers=headers,
                          json={"contact": {"phone": "12345", "email": "not-an-email"},
                                "delivery": {"method": "drone"}})
    assert response.status_code == 422
    paths = {e["path"] for e in response.get_json()["errors"]}
    assert paths == {"/contact/phone", "/contact/email", "/delivery/method"}
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert detail["contact"] == CONTACT


def test_someone_elses_dossier_answers_404(client, birth):
    code = new_dossier(client, auth(client, "citizen"), birth)
    other = auth(client, "citizen2")
    assert client.get(f"/api/v1/dossiers/{code}", headers=other).status_code == 404
    assert client.put(f"/api/v1/dossiers/{code}", headers=other, json={"data": {}}).status_code == 404
    assert attach(client, other, code).status_code == 404
    assert client.post(f"/api/v1/dossiers/{code}/submit", headers=other).status_code == 404
    withdraw = client.post(f"/api/v1/dossiers/{code}/actions", headers=other, json={"action": "withdraw"})
    assert withdraw.status_code == 404


def test_replayed_create_and_submit_give_one_dossier(app, client, birth):
    headers = {**auth(client, "citizen"), "Idempotency-Key": "khai-sinh-1"}
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": CONTACT, "delivery": {"method": "office"}}
    first = client.post("/api/v1/dossiers/", json=body, headers=headers)
    second = client.post("/api/v1/dossiers/", json=body, headers=headers)
    assert first.status_code == 201 and second.status_code == 200
    code = first.get_json()["code"]
    assert second.get_json()["code"] == code
    attach(client, headers, code)
    replies = [client.post(f"/api/v1/dossiers/{code}/submit", headers=headers) for _ in range(3)]
    assert [r.status_code for r in replies] == [200, 200, 200]
    assert {r.get_json()["submitted_at"] for r in replies} == {replies[0].get_json()["submitted_at"]}
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert [e["action"] for e in detail["events"]] == ["create", "submit"]
    with app.app_context():
        assert db.session.query(Dossier).count() == 1
        assert db.session.query(OutboxMessage).filter_by(channel="email").count() == 1


def test_submitted_dossier_can_no_longer_be_edited_but_a_supplement_reopens_it(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth, data=birth_data())
    attach(client, headers, code)
    client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert client.put(f"/api/v1/dossiers/{code}", headers=headers, json={"data": {}}).status_code == 409
    assert attach(client, headers, code).status_code == 409

    officer = auth(client, "officer")
    asked = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                        json={"action": "request_supplement", "note": "Ảnh giấy chứng sinh bị mờ"})
    assert asked.status_code == 200 and asked.get_json()["status"] == "needs_supplement"
    assert attach(client, headers, code, data=png_bytes(), name="ro-hon.png").status_code == 201
    again = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert again.status_code == 200 and again.get_json()["status"] == "submitted"
    events = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["events"]
    assert [e["action"] for e in events][-2:] == ["request_supplement", "submit"]


def test_remove_attachment(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth)
    item = attach(client, headers, code).get_json()
    assert client.delete(f"/api/v1/dossiers/{code}/attachments/{item['id']}",
                         headers=headers).status_code == 204
    assert client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["attachments"] == []


def test_lookup_needs_the_right_phone_digits_and_hides_drafts(client, birth):
    headers = auth(client, "citizen")
    code = new_dossier(client, headers, birth, data=birth_data())
    assert client.get(f"/api/v1/lookup?code={code}&phone4=5678").status_code == 404  # a draft
    attach(client, headers, code)
    client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert client.get(f"/api/v1/lookup?code={code}&phone4=1111").status_code == 404
    bad = client.get(f"/api/v1/lookup?code={code}&phone4=56")
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["path"] == "/phone4"
    assert client.get(f"/api/v1/lookup?code={code}&phone4=5678").status_code == 200
