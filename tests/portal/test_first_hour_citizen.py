"""What stopped a citizen in the first hour (issue 10, items 10–13, and an office-only delivery
step), each through the pages."""
from __future__ import annotations

import io

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.procedures.models import Procedure
from app.units.models import AdministrativeUnit
from tests.helpers import auth, logout, officer_post, result_pdf, web_login
from tests.portal.data import birth_data, pdf_bytes, upload
from tests.portal.test_wizard import flatten
from tests.portal.web import login

CONTACT = {"phone": "0912345678", "email": "an@example.test"}


def _filed(client, birth, submit: bool = True) -> str:
    headers = auth(client, "citizen")
    code = client.post("/api/v1/dossiers", headers=headers, json={
        "procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
        "contact": CONTACT, "delivery": {"method": "office"}}).get_json()["code"]
    client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers, content_type="multipart/form-data",
                data={"document_key": "giay_chung_sinh", "file": upload(pdf_bytes(), "a.pdf")})
    if submit:
        assert client.post(f"/api/v1/dossiers/{code}/submit", headers=headers).status_code == 200
    return code


def _officer(client, code: str, action: str, **body) -> None:
    response = client.post(f"/api/v1/dossiers/{code}/actions", headers=auth(client, "officer"),
                           json={"action": action, **body})
    assert response.status_code == 200, response.get_json()


def test_edit_from_check_answers_comes_back_to_check_answers(client, birth):
    code = _filed(client, birth, submit=False)
    login(client, "citizen")
    review = client.get(f"/my/dossiers/{code}/review").get_data(as_text=True)
    assert f"/my/dossiers/{code}/declaration?back=review" in review
    assert f"/my/dossiers/{code}/documents?back=review" in review
    response = client.post(f"/my/dossiers/{code}/declaration?back=review",
                           data=flatten(birth_data()) | {"_next": "1"})
    assert response.headers["Location"].endswith(f"/my/dossiers/{code}/review")
    response = client.post(f"/my/dossiers/{code}/documents?back=review", data={"next": "1"})
    assert response.headers["Location"].endswith(f"/my/dossiers/{code}/review")


def test_withdrawing_asks_for_confirmation_and_a_draft_withdrawn_tells_nobody(app, client, birth):
    code = _filed(client, birth)
    login(client, "citizen")
    refused = client.post(f"/my/dossiers/{code}/withdraw", data={"note": "Nhầm thủ tục"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="confirm-error"' in html and "Nhầm thủ tục" in html
    assert client.get(f"/api/v1/dossiers/{code}", headers=auth(client, "citizen")).get_json()["status"] \
        == "submitted"
    assert client.post(f"/my/dossiers/{code}/withdraw", data={"confirm": "y"}).status_code == 302
    draft = _filed(client, birth, submit=False)
    assert client.post(f"/my/dossiers/{draft}/withdraw", data={"confirm": "y"}).status_code == 302
    with app.app_context():
        draft_id = db.session.scalar(select(Dossier.id).where(Dossier.code == draft))
        assert db.session.query(OutboxMessage).filter_by(dossier_id=draft_id).count() == 0


def test_a_supplement_request_says_what_why_where_and_that_the_clock_is_paused(app, client, birth):
    code = _filed(client, birth)
    _officer(client, code, "receive")
    _officer(client, code, "request_supplement", note="Giấy chứng sinh bị mờ",
             items=["Bản chụp rõ Giấy chứng sinh"])
    login(client, "citizen")
    page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    for text in ("Giấy chứng sinh bị mờ", "Bản chụp rõ Giấy chứng sinh", "tạm dừng"):
        assert text in page
    banner = client.get(f"/my/dossiers/{code}/declaration").get_data(as_text=True)
    assert "Giấy chứng sinh bị mờ" in banner and "Bản chụp rõ Giấy chứng sinh" in banner
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.event == "needs_supplement", OutboxMessage.channel == "email")).one()
    assert "tạm dừng" in mail.body and "Bản chụp rõ Giấy chứng sinh" in mail.body


def test_a_returned_dossier_invites_a_rating_that_a_logged_out_citizen_reaches_after_login(
        app, client, birth):
    code = _filed(client, birth)
    for action, body in (("receive", {}), ("process", {})):
        _officer(client, code, action, **body)
    # A birth certificate is the officer's document: attached on approval, from the back office.
    web_login(client, "officer")
    approved = officer_post(client, code, {"action": "approve", "result_text": "Đã cấp Giấy khai sinh số 12",
                                           "result_file": (io.BytesIO(result_pdf()), "giay-khai-sinh.pdf")},
                            content_type="multipart/form-data")
    assert approved.status_code == 302
    logout(client)
    _officer(client, code, "return", method="office")
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.event == "returned", OutboxMessage.channel == "email")).one()
    assert f"/dossiers/{code}/rating" in mail.body
    anonymous = client.get(f"/dossiers/{code}/rating")
    assert "/account/login" in anonymous.headers["Location"]
    web_login(client, "citizen")
    page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert f"/dossiers/{code}/rating" in page and "Đã cấp Giấy khai sinh số 12" in page


def test_no_aria_attribute_says_none_and_every_step_has_the_same_summary(client, birth):
    login_page = client.get("/account/login").get_data(as_text=True)
    assert '="None"' not in login_page
    failed = client.post("/account/login", data={"login": "", "password": ""}).get_data(as_text=True)
    assert '="None"' not in failed and "mcf-error-summary" in failed
    code = _filed(client, birth, submit=False)
    login(client, "citizen")
    delivery = client.post(f"/my/dossiers/{code}/delivery", data={
        "phone": "123", "email": "x", "method": "post", "province": "", "commune": "", "street": ""}
    ).get_data(as_text=True)
    assert 'class="mcf-error-summary"' in delivery and 'href="#phone-label"' in delivery
    assert 'id="phone-label"' in delivery and '="None"' not in delivery
    client.delete(f"/api/v1/dossiers/{code}/attachments/{_first_attachment(client, code)}",
                headers=auth(client, "citizen"))
    documents = client.post(f"/my/dossiers/{code}/documents", data={"next": "1"}).get_data(as_text=True)
    assert 'class="mcf-error-summary"' in documents
    assert 'href="#doc-giay_chung_sinh-label"' in documents and 'id="doc-giay_chung_sinh-label"' in documents


def _first_attachment(client, code: str) -> int:
    detail = client.get(f"/api/v1/dossiers/{code}", headers=auth(client, "citizen")).get_json()
    return detail["attachments"][0]["id"]


def _office_only(app, birth) -> None:
    """The birth registration handed over at the office only, at a unit with an address."""
    with app.app_context():
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == birth["procedure"]))
        procedure.delivery_methods = ["office"]
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == birth["unit"]))
        unit.address, unit.office_hours = "Số 1 đường Lộc Tấn", "Thứ Hai đến Thứ Sáu, 7:30–17:00"
        db.session.commit()


def test_an_office_only_procedure_asks_no_postal_address_and_refuses_a_postal_choice(app, client, birth):
    code = _filed(client, birth, submit=False)
    _office_only(app, birth)
    login(client, "citizen")
    page = BeautifulSoup(client.get(f"/my/dossiers/{code}/delivery").get_data(as_text=True), "html.parser")
    assert page.select_one("#post-address") is None
    assert not page.select("[name=province], [name=commune], [name=street], input[type=radio][name=method]")
    said = page.select_one("#delivery-method").get_text(" ", strip=True)
    assert "chỉ được trả trực tiếp tại Trung tâm Phục vụ hành chính công" in said
    assert "Trung tâm Phục vụ hành chính công xã Lộc Tấn" in said and "Số 1 đường Lộc Tấn" in said
    assert "Thứ Hai đến Thứ Sáu, 7:30–17:00" in said

    # The rule is the procedure's, whatever the page or a client sends.
    posted = client.post(f"/my/dossiers/{code}/delivery", data={
        **CONTACT, "method": "post", "province": "75", "commune": "25279", "street": "12 Hùng Vương"})
    html = posted.get_data(as_text=True)
    assert posted.status_code == 200 and 'href="#method-label"' in html
    assert "chỉ được trả trực tiếp tại Trung tâm Phục vụ hành chính công, không gửi qua bưu chính" in html
    headers = auth(client, "citizen")
    refused = client.put(f"/api/v1/dossiers/{code}", headers=headers, json={
        "delivery": {"method": "post", "address": {"province": "75", "commune": "25279", "street": "12"}}})
    assert refused.status_code == 422
    assert [e["path"] for e in refused.get_json()["errors"]] == ["/delivery/method"]
    assert client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["delivery"]["method"] == "office"
    saved = client.post(f"/my/dossiers/{code}/delivery", data={**CONTACT, "method": "office"})
    assert saved.headers["Location"].endswith(f"/my/dossiers/{code}/review")


def test_a_postal_choice_made_before_the_procedure_became_office_only_is_not_submitted(app, client, birth):
    code = _filed(client, birth, submit=False)
    headers = auth(client, "citizen")
    assert client.put(f"/api/v1/dossiers/{code}", headers=headers, json={"delivery": {
        "method": "post", "address": {"province": "75", "commune": "25279", "street": "12 Hùng Vương"}}}
    ).status_code == 200
    _office_only(app, birth)
    refused = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert refused.status_code == 422
    assert "/delivery/method" in [e["path"] for e in refused.get_json()["errors"]]
