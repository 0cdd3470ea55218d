"""The administrator builds, previews, publishes and assigns a procedure in the browser."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from app.extensions import db
from app.procedures.models import Procedure
from app.procedures.operations import get_procedure
from tests.factories import ProvinceFactory, UnitFactory, create_user
from tests.helpers import auth, web_login

EDITOR = "/admin/procedure-editor"
FIELDS = [  # label, type, required, options, parent
    ("Họ và tên", "text", True, "", ""),
    ("Số định danh cá nhân", "citizen_id", True, "", ""),
    ("Ngày sinh", "date", True, "", ""),
    ("Số điện thoại", "phone", False, "", ""),
    ("Giới tính", "radio", True, "Nam\nNữ", ""),
    ("Mục đích sử dụng", "select", False, "Đi học\nĐi làm", ""),
    ("Số bản sao", "integer", False, "", ""),
    ("Nơi cư trú", "group", False, "", ""),
    ("Xã phường", "unit", True, "", "noi_cu_tru"),
    ("Ghi chú", "textarea", False, "", ""),
]


def confirmation(page) -> dict[str, str]:
    """The hidden fields of a confirmation page's form (confirm, fingerprint, csrf_token)."""
    form = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one("form.mc-confirm")
    return {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}


def builder_form(fields, action):
    form = {"rows": str(len(fields)), "action": action}
    for i, (label, kind, required, options, parent) in enumerate(fields):
        form.update({f"f-{i}-label": label, f"f-{i}-type": kind, f"f-{i}-options": options,
                     f"f-{i}-parent": parent, f"f-{i}-label_en": f"EN {label}"})
        if required:
            form[f"f-{i}-required"] = "1"
    return form


@pytest.fixture
def people(app):
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai")
        a = UnitFactory(code="25279", name="Xã Lộc Tấn", parent=province)
        b = UnitFactory(code="25280", name="Xã Lộc Thạnh", parent=province)
        officer = create_user("officer", "Officer", units=[a])
        create_user("admin", "Admin")
        create_user("citizen", "Citizen")
        return a.code, b.code, officer.id


def test_newcomer_builds_previews_publishes_and_a_citizen_files(app, client, people):
    web_login(client, "admin")
    response = client.post(f"{EDITOR}/new", data={
        "code": "LOCAL.001", "name": "Xác nhận thông tin cư trú", "field": "Cư trú", "tier": "commune",
        "level": "4", "processing_days": "2", "fee": "0", "delivery_methods": ["office", "online"],
        "steps": "Nộp tờ khai\nNhận kết quả", "active": "y"})
    assert response.status_code == 302 and response.location.endswith("/LOCAL.001/builder")

    page = client.post(f"{EDITOR}/LOCAL.001/builder", data=builder_form(FIELDS, "preview"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Họ và tên" in html and "EN Họ và tên" in html and "Nữ" in html  # both languages

    saved = client.post(f"{EDITOR}/LOCAL.001/builder", data=builder_form(FIELDS, "save"))
    assert saved.status_code == 302
    review = client.get(f"{EDITOR}/LOCAL.001/publish")
    assert review.status_code == 200
    assert "Thêm trường bắt buộc “Họ và tên”" in review.get_data(as_text=True)
    published = client.post(f"{EDITOR}/LOCAL.001/publish", data=confirmation(review))
    assert published.status_code == 200
    assert "Đã công bố phiên bản 1" in published.get_data(as_text=True)
    assigned = client.post("/admin/units-tools/assign/LOCAL.001",
                           data={"units": "25279, 25280", "fee_override": ""})
    assert assigned.status_code == 302

    citizen = app.test_client()
    headers = auth(citizen, "citizen")
    created = citizen.post("/api/v1/dossiers", headers=headers, json={
        "procedure": "LOCAL.001", "unit": "25280",
        "contact": {"phone": "0912345678", "email": "a@example.test"}})
    assert created.status_code == 201, created.get_json()
    code = created.get_json()["code"]
    data = {"ho_va_ten": "Nguyễn Văn An", "so_dinh_danh_ca_nhan": "075200001234",
            "ngay_sinh": "2000-01-02", "gioi_tinh": "nu", "noi_cu_tru": {"xa_phuong": "25280"}}
    put = citizen.put(f"/api/v1/dossiers/{code}", headers=headers, json={"data": data})
    assert put.status_code == 200, put.get_json()
    submitted = citizen.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "submitted"


def test_builder_refuses_bad_fields_and_keeps_what_was_typed(app, client, people):
    web_login(client, "admin")
    client.post(f"{EDITOR}/new", data={"code": "LOCAL.002", "name": "Thử", "field": "Khác",
                                       "tier": "commune", "level": "3", "delivery_methods": "office"})
    fields = [("Họ và tên", "text", True, "", ""), ("Lựa chọn", "select", False, "", "")]
    page = client.post(f"{EDITOR}/LOCAL.002/builder", data=builder_form(fields, "save"))
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Lựa chọn: hãy nhập các lựa chọn, mỗi dòng một lựa chọn." in html and 'value="Họ và tên"' in html
    with app.app_context():
        assert get_procedure("LOCAL.002").versions[0].schema["properties"] == {}


def test_json_editor_reports_syntax_errors_by_line_and_column(app, client, people):
    web_login(client, "admin")
    client.post(f"{EDITOR}/new", data={"code": "LOCAL.003", "name": "Thử", "field": "Khác",
                                       "tier": "commune", "level": "3", "delivery_methods": "office"})
    page = client.post(f"{EDITOR}/LOCAL.003/form", data={
        "schema": '{\n  "type": "object",\n  "properties": {,}\n}', "ui_schema": "{}",
        "documents": "", "action": "save"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "dòng 3, cột 18" in text
    preview = client.post(f"{EDITOR}/preview", json={
        "schema": {"type": "object", "properties": {"x": {"type": "string", "title": "Tên"}}}})
    assert preview.status_code == 200 and "Tên" in preview.get_json()["html"]["vi"]
    bad = client.post(f"{EDITOR}/preview", json={"schema": {"type": "object",
                                                            "properties": {"x": {"title": "?"}}}})
    assert bad.get_json()["problems"] and bad.get_json()["html"] == {}


def test_metadata_errors_are_shown_next_to_fields_and_nothing_is_stored(app, client, people):
    web_login(client, "admin")
    page = client.post(f"{EDITOR}/new", data={"code": "bad code!", "name": "", "field": "X",
                                              "tier": "commune", "level": "3", "fee": "-5"})
    assert page.status_code == 422
    with app.app_context():
        assert db.session.query(Procedure).count() == 0


@pytest.mark.parametrize("path", [f"{EDITOR}/", f"{EDITOR}/new", "/admin/units-tools/",
                                  "/admin/units-tools/assign/X", f"{EDITOR}/import"])
@pytest.mark.parametrize("username", ["officer", "citizen"])
def test_admin_pages_are_refused_to_officers_and_citizens(app, client, people, path, username):
    web_login(client, username)
    response = client.get(path)
    assert response.status_code in (302, 403)
    assert "/admin/procedure-editor" not in (response.location or "")


@pytest.mark.parametrize("path", [f"{EDITOR}/", f"{EDITOR}/new", "/admin/units-tools/",
                                  f"{EDITOR}/import"])
def test_admin_pages_open_for_the_administrator(app, client, people, path):
    web_login(client, "admin")
    assert client.get(path).status_code == 200


def _procedure_with_draft(app, client, code="LOCAL.010"):
    """A procedure with a published v1 (one field) and a draft v2 adding a required field."""
    web_login(client, "admin")
    client.post(f"{EDITOR}/new", data={"code": code, "name": "Thử", "field": "Khác",
                                       "tier": "commune", "level": "4", "delivery_methods": "online"})
    fields = [("Họ và tên", "text", True, "", "")]
    assert client.post(f"{EDITOR}/{code}/builder", data=builder_form(fields, "save")).status_code == 302
    client.post(f"{EDITOR}/{code}/publish", data=confirmation(client.get(f"{EDITOR}/{code}/publish")))
    fields.append(("Số điện thoại", "phone", True, "", ""))
    assert client.post(f"{EDITOR}/{code}/builder", data=builder_form(fields, "save")).status_code == 302
    with app.app_context():
        assert get_procedure(code).current_version.number == 1
    return code


def test_publishing_asks_for_confirmation_and_says_what_changes(app, client, people):
    code = _procedure_with_draft(app, client)
    versions = client.get(f"{EDITOR}/{code}/versions").get_data(as_text=True)
    assert f'href="{EDITOR}/{code}/publish"' in versions  # a link to the review, not a POST
    unconfirmed = client.post(f"{EDITOR}/{code}/publish")
    assert unconfirmed.status_code == 200
    with app.app_context():
        assert get_procedure(code).current_version.number == 1
    review = client.get(f"{EDITOR}/{code}/publish")
    page = BeautifulSoup(review.get_data(as_text=True), "html.parser")
    words = [li.get_text(strip=True) for li in page.select("ul.mc-changes li")]
    assert words == ["Thêm trường bắt buộc “Số điện thoại” (/schema/properties/so_dien_thoai)"]
    assert page.select_one("details.mc-raw-diff")  # the JSON diff stays, folded away
    assert page.select_one("form.mc-confirm input[name=csrf_token]")
    published = client.post(f"{EDITOR}/{code}/publish", data=confirmation(review))
    assert published.status_code == 200
    with app.app_context():
        assert get_procedure(code).current_version.number == 2


def test_the_publish_confirmation_is_csrf_protected(app, client, people, monkeypatch):
    code = _procedure_with_draft(app, client)
    review = client.get(f"{EDITOR}/{code}/publish")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    forged = {k: v for k, v in confirmation(review).items() if k != "csrf_token"}
    assert client.post(f"{EDITOR}/{code}/publish", data=forged).status_code == 400
    with app.app_context():
        assert get_procedure(code).current_version.number == 1
    review = client.get(f"{EDITOR}/{code}/publish")  # a token of this session
    assert client.post(f"{EDITOR}/{code}/publish", data=confirmation(review)).status_code == 200
    with app.app_context():
        assert get_procedure(code).current_version.number == 2


def test_an_older_version_is_restored_as_the_draft_from_the_versions_page(app, client, people):
    from app.core.audit import AdminAuditRecord
    from app.procedures.operations import get_draft

    code = _procedure_with_draft(app, client)
    client.post(f"{EDITOR}/{code}/publish", data=confirmation(client.get(f"{EDITOR}/{code}/publish")))
    versions = BeautifulSoup(client.get(f"{EDITOR}/{code}/versions").get_data(as_text=True),
                             "html.parser")
    link = versions.find("a", string="Khôi phục v1 thành bản nháp")
    assert link is not None and versions.find("a", string="Khôi phục v2 thành bản nháp") is None
    review = client.get(link["href"])
    words = [li.get_text(strip=True) for li in BeautifulSoup(
        review.get_data(as_text=True), "html.parser").select("ul.mc-changes li")]
    assert words == ["Bỏ trường “Số điện thoại” (/schema/properties/so_dien_thoai)"]
    restored = client.post(link["href"], data=confirmation(review))
    assert restored.status_code == 302
    with app.app_context():
        procedure = get_procedure(code)
        draft = get_draft(procedure)
        assert draft.number == 3 and draft.schema == procedure.versions[0].schema
        assert procedure.current_version.number == 2
        assert db.session.query(AdminAuditRecord).filter_by(action="restore_version").count() == 1


def test_details_form_takes_its_limits_from_the_definition_schema(app, client, people):
    from app.admin_tools.forms import ProcedureMetaForm
    from app.procedures.definition_schema import rule
    from app.procedures.models import Procedure as Model

    web_login(client, "admin")
    page = BeautifulSoup(client.get(f"{EDITOR}/new").get_data(as_text=True), "html.parser")
    assert page.select_one("#name")["maxlength"] == str(Model.__table__.c.name.type.length)
    assert page.select_one("#processing_days")["max"] == str(rule("processing_days")["maximum"])
    # the definition's tiers, without the district tier where no district units exist
    assert [o["value"] for o in page.select("#tier option")] == \
        [t for t in rule("tier")["enum"] if t != "district"]
    assert [int(o["value"]) for o in page.select("#level option")] == rule("level")["enum"]
    with app.test_request_context():
        assert [c[0] for c in ProcedureMetaForm().delivery_methods.choices] == \
            rule("delivery_methods")["items"]["enum"]
    response = client.post(f"{EDITOR}/new", data={
        "code": "LOCAL.020", "name": "Thử", "field": "Khác", "tier": "commune", "level": "3",
        "delivery_methods": "office", "processing_days": "366",
        "steps": "Nộp hồ sơ\n" + "x" * (rule("steps")["items"]["maxLength"] + 1)})
    assert response.status_code == 422
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    errors = {group.select_one("label").get("for"): [e.get_text() for e in group.select(".help-block")]
              for group in page.select(".form-group.has-error")}
    assert set(errors) == {"processing_days", "steps"}
    assert any("Trình tự thực hiện, mục 2" in e for e in errors["steps"])
    with app.app_context():
        assert db.session.query(Procedure).count() == 0
