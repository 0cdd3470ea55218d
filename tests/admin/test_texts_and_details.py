"""Notification texts start from the built-in text and their preview names a wrong placeholder;
the details form takes an English twin of every text and the English pages show it."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app.extensions import db
from app.notifications.texts import NotificationTemplate, placeholder_problems
from app.procedures.operations import export_definition, get_procedure
from tests.factories import ProvinceFactory, UnitFactory, create_user
from tests.helpers import web_login

TEXTS = "/admin/notification-texts/edit"
EDITOR = "/admin/procedure-editor"


@pytest.fixture
def admin(app):
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai")
        UnitFactory(code="25279", name="Xã Lộc Tấn", parent=province)
        create_user("admin", "Admin")


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


# --- item 21: notification texts -------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("Hồ sơ {code} tại {don_vi}", ["{don_vi}"]),
    ("Hồ sơ {code đã tiếp nhận", ["Dấu ngoặc nhọn không khớp", "“{code đã tiếp nhận”"]),
    ("Hồ sơ {code} hạn {due_date", ["“{due_date”"]),
    ("Hồ sơ code} đã nhận", ["Dấu ngoặc nhọn không khớp", "“Hồ sơ code}”"]),
    ("Hồ sơ {}", ["{}"]),
])
def test_a_wrong_placeholder_is_named_in_vietnamese(app, text, words):
    with app.test_request_context():
        problems = placeholder_problems(text)
    assert len(problems) == 1
    for word in words:
        assert word in problems[0]


def test_every_text_the_checker_passes_renders(app):
    from app.notifications.texts import PLACEHOLDERS, render_text

    with app.test_request_context():
        for text in ("{code}}}", "{{{code}}}", "{{ {unit} }}", "}}{{", " ".join("{%s}" % p for p in PLACEHOLDERS)):
            assert placeholder_problems(text) == []
            render_text(text, {})


def test_the_preview_names_the_wrong_placeholder_beside_the_field_and_keeps_the_text(app, client, admin):
    web_login(client, "admin")
    body = "Hồ sơ {code} đã được tiếp nhận tại {don_vi}.\nTra cứu: {lookup_url"
    response = client.post(TEXTS, data={
        "event": "received", "channel": "email", "locale": "vi", "province": "",
        "subject": "Hồ sơ {code}", "body": body, "active": "1", "action": "preview"})
    assert response.status_code == 422
    page = _page(response)
    textarea = page.select_one("textarea#body")
    assert textarea.get_text() == body  # nothing typed is lost
    assert textarea["aria-invalid"] == "true"
    messages = [page.select_one(f"#{i}").get_text() for i in textarea["aria-describedby"].split()
                if i.startswith("body-error")]
    assert any("{don_vi}" in m for m in messages)
    assert any("“{lookup_url”" in m for m in messages)
    assert page.select_one("#subject").get("aria-invalid") is None
    assert "không xem trước được" in page.get_text().lower()
    with app.app_context():
        assert db.session.query(NotificationTemplate).count() == 0


def test_a_new_text_starts_from_the_built_in_text_of_the_event_and_channel(app, client, admin):
    web_login(client, "admin")
    page = _page(client.get(TEXTS + "?event=needs_supplement&channel=email"))
    assert page.select_one("#subject")["value"] == "Hồ sơ {code} cần bổ sung"
    body = page.select_one("#body").get_text()
    assert body.startswith("Hồ sơ {code} cần bổ sung.\nThủ tục: {procedure}\n")
    assert "{note}" in body and "{lookup_url}" in body
    assert "không xem trước được" not in page.get_text().lower()
    assert "Hồ sơ 25279-260105-0001 cần bổ sung" in page.select_one(".panel-heading").get_text()
    sms = _page(client.get(TEXTS + "?event=received&channel=sms"))
    assert sms.select_one("#subject")["value"] == ""
    assert sms.select_one("#body").get_text() == "MotCua: Hồ sơ {code} đã được tiếp nhận. {lookup_url}"
    # Without JavaScript: another event chosen, "start from the built-in text" fills it in.
    again = _page(client.post(TEXTS, data={"event": "returned", "channel": "email", "locale": "en",
                                           "subject": "x", "body": "y", "action": "default"}))
    assert again.select_one("#subject")["value"] == "Dossier {code}: the result was returned"
    assert "{rating_url}" in again.select_one("#body").get_text()
    # Every built-in text is a valid administrator's text: it saves as it is.
    saved = client.post(TEXTS, data={
        "event": "needs_supplement", "channel": "email", "locale": "vi", "province": "",
        "subject": page.select_one("#subject")["value"], "body": body, "active": "1", "action": "save"})
    assert saved.status_code == 302


def test_built_in_texts_read_back_with_placeholders_fill_like_the_built_in_message(app):
    from app.dossiers.notifications import _default_texts, default_text
    from app.notifications.texts import EVENTS, render_text

    ctx = {"code": "25279-260105-0001", "procedure": "Đăng ký khai sinh", "unit": "Xã Lộc Tấn",
           "due_date": "08/01/2026", "note": "Thiếu giấy", "lookup_url": "https://x/l",
           "rating_url": "https://x/r", "dossier_url": "https://x/d", "amount": "8.000"}
    with app.test_request_context():
        for event in EVENTS:
            subject, body = default_text(event, "email", "vi")
            assert placeholder_problems(subject) == [] and placeholder_problems(body) == []
            built_in = _default_texts(event, ctx)
            assert render_text(subject, ctx) == built_in[0]
            for line in render_text(body, ctx).splitlines():
                assert line in built_in[1].splitlines(), (event, line)


# --- item 22: English of every text of the details form --------------------------------------

DETAILS = {
    "code": "LOCAL.022", "name": "Xác nhận cư trú", "name_en": "Residence confirmation",
    "field": "Cư trú", "field_en": "Residence", "tier": "commune", "level": "3",
    "processing_days": "2", "verification_days": "5",
    "processing_note": "Trong ngày nếu nộp trước 15 giờ", "processing_note_en": "Same day before 15:00",
    "verification_note": "Khi cần hỏi xã khác", "verification_note_en": "When another commune is asked",
    "fee": "0", "fee_note": "Miễn phí cho hộ nghèo", "fee_note_en": "Free for poor households",
    "agency": "Ủy ban nhân dân xã", "agency_en": "Commune People's Committee",
    "result": "Giấy xác nhận", "result_en": "A confirmation letter",
    "applicants": "Công dân Việt Nam", "applicants_en": "Vietnamese citizens",
    "requirements": "Có nơi cư trú tại xã", "requirements_en": "Living in the commune",
    "steps": "Nộp tờ khai\nNhận kết quả", "steps_en": "File the form\nCollect the result",
    "legal_basis": "Luật Cư trú 2020", "legal_basis_en": "Law on Residence 2020",
    "delivery_methods": "office", "active": "y",
}


def test_the_details_form_stores_and_shows_the_english_of_every_text(app, client, admin):
    web_login(client, "admin")
    assert client.post(f"{EDITOR}/new", data=DETAILS).status_code == 302
    with app.app_context():
        data = export_definition(get_procedure("LOCAL.022"))
        assert data["agency_en"] == "Commune People's Committee"
        assert data["steps_en"] == ["File the form", "Collect the result"]
        assert data["legal_basis_en"] == ["Law on Residence 2020"]
        assert data["requirements"] == ["Có nơi cư trú tại xã"]
        assert data["field_en"] == "Residence"
    form = _page(client.get(f"{EDITOR}/LOCAL.022/meta"))
    for name, value in DETAILS.items():
        element = form.select_one(f"[name={name}]")
        if name in ("tier", "level", "delivery_methods", "active"):
            continue
        shown = element.get_text() if element.name == "textarea" else element.get("value")
        assert shown.strip() == value, name
        assert form.select_one(f"label[for={name}]"), name  # every input has its label

    english = client.get("/procedures/LOCAL.022?_l_=en").get_data(as_text=True)
    for name in ("name_en", "field_en", "processing_note_en", "verification_note_en", "fee_note_en",
                 "agency_en", "result_en", "applicants_en", "requirements_en", "legal_basis_en"):
        assert DETAILS[name].replace("'", "&#39;") in english, name
    assert "File the form" in english and "Collect the result" in english
    assert "Ủy ban nhân dân xã" not in english and "Luật Cư trú" not in english
    vietnamese = client.get("/procedures/LOCAL.022?_l_=vi").get_data(as_text=True)
    assert "Ủy ban nhân dân xã" in vietnamese and "Luật Cư trú 2020" in vietnamese


def test_an_empty_english_text_falls_back_to_vietnamese_and_is_not_stored(app, client, admin):
    web_login(client, "admin")
    assert client.post(f"{EDITOR}/new", data=DETAILS).status_code == 302
    cleared = {**DETAILS, "agency_en": "", "legal_basis_en": "", "steps_en": "  "}
    assert client.post(f"{EDITOR}/LOCAL.022/meta", data=cleared).status_code == 302
    with app.app_context():
        extra = get_procedure("LOCAL.022").extra
        assert "agency_en" not in extra and "legal_basis_en" not in extra and "steps_en" not in extra
        assert extra["result_en"] == "A confirmation letter"
    english = client.get("/procedures/LOCAL.022?_l_=en").get_data(as_text=True)
    assert "Ủy ban nhân dân xã" in english and "Luật Cư trú 2020" in english
    assert "Nộp tờ khai" in english and "A confirmation letter" in english


def test_an_english_text_too_long_is_refused_beside_its_field(app, client, admin):
    web_login(client, "admin")
    response = client.post(f"{EDITOR}/new", data={**DETAILS, "agency_en": "x" * 600})
    assert response.status_code == 422
    page = _page(response)
    group = page.select_one("#agency_en").find_parent(class_="form-group")
    assert "has-error" in group["class"] and group.select_one(".help-block")
    assert page.select_one("#fee_note_en").get_text().strip() == DETAILS["fee_note_en"]
    with app.app_context():
        assert get_procedure("LOCAL.022") is None


def test_the_new_procedure_form_offers_no_district_tier_without_district_units(app, client):
    from tests.factories import create_user
    from tests.helpers import web_login

    with app.app_context():
        create_user("admin", "Admin")
    web_login(client, "admin")
    page = client.get("/admin/procedure-editor/new").get_data(as_text=True)
    assert 'value="commune"' in page and 'value="district"' not in page
