"""Notification texts, templates, calendar, staff accounts and the audit trail."""
from __future__ import annotations

import io
import zipfile

import pytest

from app.core.audit import AdminAuditRecord
from app.extensions import db
from app.notifications.texts import NotificationTemplate, find_template, placeholder_problems
from app.security.models import UserUnit
from tests.factories import ProcedureFactory, ProvinceFactory, UnitFactory, create_user
from tests.helpers import web_login

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def setup(app):
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai")
        other = ProvinceFactory(code="24", name="Tỉnh Bắc Ninh")
        UnitFactory(code="25279", name="Xã Lộc Tấn", parent=province)
        create_user("admin", "Admin")
        create_user("officer", "Officer")
        procedure = ProcedureFactory(code="1.001193")
        return province.id, other.id, procedure.code


@pytest.mark.parametrize("text, fragment", [
    ("Hồ sơ {code} {unkown}", "Không có chỗ điền {unkown}"),
    ("Hồ sơ {code", "Dấu ngoặc nhọn không khớp"),
    ("Hồ sơ code}", "Dấu ngoặc nhọn không khớp"),
    ("Hạn {due_date:%d}", "không kèm định dạng"),
])
def test_placeholder_mistakes_are_named(app, text, fragment):
    with app.test_request_context():
        assert any(fragment in p for p in placeholder_problems(text))


def test_known_placeholders_and_escaped_braces_pass(app):
    with app.test_request_context():
        assert placeholder_problems("{code} {procedure} {due_date} {unit} {lookup_url} {note} "
                                    "{status} {{literal}}") == []


def test_saving_a_text_with_an_unknown_placeholder_is_refused_with_the_reason(app, client, setup):
    web_login(client, "admin")
    response = client.post("/admin/notification-texts/edit", data={
        "event": "received", "channel": "email", "locale": "vi", "province": "",
        "subject": "Hồ sơ {code}", "body": "Xin chào {ten}", "active": "1", "action": "save"})
    assert response.status_code == 422
    assert "{ten}" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(NotificationTemplate).count() == 0


def test_province_text_wins_and_preview_fills_placeholders(app, client, setup):
    web_login(client, "admin")
    for province, body in (("", "Chung: {code}"), ("75", "Đồng Nai: {code} hạn {due_date}")):
        response = client.post("/admin/notification-texts/edit", data={
            "event": "received", "channel": "sms", "locale": "vi", "province": province,
            "subject": "", "body": body, "active": "1", "action": "save"})
        assert response.status_code == 302
    preview = client.post("/admin/notification-texts/edit", data={
        "event": "received", "channel": "sms", "locale": "vi", "body": "Hồ sơ {code} tại {unit}",
        "action": "preview"})
    assert "Hồ sơ 25279-260105-0001 tại Xã Lộc Tấn" in preview.get_data(as_text=True)
    with app.app_context():
        assert find_template("received", "sms", "vi", "75") == ("", "Đồng Nai: {code} hạn {due_date}")
        assert find_template("received", "sms", "vi", "24") == ("", "Chung: {code}")
        assert find_template("received", "email", "vi", "75") is None
        assert db.session.query(AdminAuditRecord).filter_by(object_type="NotificationTemplate").count() == 2


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_templates_are_checked_by_content_and_downloadable(app, client, setup):
    web_login(client, "admin")
    url = "/admin/procedure-editor/1.001193/templates"
    fake = client.post(url, data={"title": "Tờ khai", "file": (io.BytesIO(b"MZ\x90\x00exe"), "to-khai.pdf")},
                       content_type="multipart/form-data")
    assert fake.status_code == 422 and "PDF, DOC, DOCX" in fake.get_data(as_text=True)
    renamed = client.post(url, data={"file": (io.BytesIO(PDF), "to-khai.docx")},
                          content_type="multipart/form-data")
    assert renamed.status_code == 422
    for data, name in ((PDF, "Tờ khai khai sinh.pdf"), (_docx(), "to-khai.docx")):
        ok = client.post(url, data={"title": "Tờ khai", "file": (io.BytesIO(data), name)},
                         content_type="multipart/form-data")
        assert ok.status_code == 302
    with app.app_context():
        from app.procedures.operations import get_procedure

        templates = get_procedure("1.001193").templates
        assert [t.content_type for t in templates] == [
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
        first = templates[0].id
    public = app.test_client()
    download = public.get(f"/procedures/1.001193/templates/{first}")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert public.get(f"/procedures/9.999/templates/{first}").status_code == 404


def test_calendar_saves_days_and_refuses_impossible_ones(app, client, setup):
    web_login(client, "admin")
    bad = client.post("/admin/working-calendar/", data={
        "province": "75", "cutoff": "25:00", "policy": "resume",
        "days_off": "03/01/2026 Chủ nhật", "working_days": "31/02/2026"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "HH:MM" in text and "03/01/2026" in text and "dòng 1" in text
    good = client.post("/admin/working-calendar/", data={
        "province": "75", "cutoff": "16:30", "policy": "resume",
        "days_off": "05/01/2026 Lễ hội tỉnh", "working_days": "10/01/2026 Làm bù"})
    assert good.status_code == 302
    with app.app_context():
        from app.calendar.operations import calendar_for, cutoff_for, supplement_policy
        from app.units.operations import get_unit

        unit = get_unit("25279")
        import datetime as dt
        assert cutoff_for(unit) == dt.time(16, 30) and supplement_policy(unit) == "resume"
        calendar = calendar_for(unit)
        assert not calendar.is_working_day(dt.date(2026, 1, 5))
        assert calendar.is_working_day(dt.date(2026, 1, 10))


def test_admin_creates_an_officer_bound_to_a_unit_then_deactivates_them(app, client, setup):
    web_login(client, "admin")
    weak = client.post("/admin/staff/new", data={
        "username": "canbo1", "first_name": "An", "last_name": "Nguyễn", "email": "an@example.test",
        "role": "Officer", "units": "25279", "password": "short"})
    assert weak.status_code == 422 and 'value="canbo1"' in weak.get_data(as_text=True)
    created = client.post("/admin/staff/new", data={
        "username": "canbo1", "first_name": "An", "last_name": "Nguyễn", "email": "an@example.test",
        "role": "Officer", "units": "25279", "password": "Manh@Khoe2026"})
    assert created.status_code == 302
    officer = app.test_client()
    web_login(officer, "canbo1", "Manh@Khoe2026")
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="canbo1")
        user_id = user.id
        assert db.session.query(UserUnit).filter_by(user_id=user_id).count() == 1
    assert client.post(f"/admin/staff/{user_id}", data={"units": "25279"}).status_code == 302
    with app.app_context():
        assert app.appbuilder.sm.find_user(username="canbo1").active is False
        actions = [r.action for r in db.session.query(AdminAuditRecord).filter_by(object_type="User")]
        assert actions == ["create", "update"]
    response = app.test_client().post("/api/v1/security/login", json={
        "username": "canbo1", "password": "Manh@Khoe2026", "provider": "db"})
    assert response.status_code == 401


def test_fab_model_view_changes_are_audited_in_the_same_commit(app, client, setup):
    web_login(client, "admin")
    response = client.post("/fieldmodelview/add", data={"name": "Chứng thực", "name_en": "Certification"})
    assert response.status_code == 302
    with app.app_context():
        record = db.session.query(AdminAuditRecord).filter_by(object_type="Field").one()
        assert record.action == "create" and record.actor_name == "admin" and record.object_id
    listing = client.get("/adminauditmodelview/list/")
    assert listing.status_code == 200 and "Chứng thực" in listing.get_data(as_text=True)


def test_notifications_use_the_administrators_texts_before_the_built_in_ones(app, setup):
    province_id, _other, code = setup
    with app.app_context():
        from app.dossiers.notifications import notify_dossier_event
        from app.procedures.operations import get_procedure
        from app.units.operations import get_unit

        db.session.add_all([
            NotificationTemplate(event="received", channel="sms", locale="vi", province_id=province_id,
                                 subject="", body="Hồ sơ {code} ({status}) hẹn trả {due_date}."),
            NotificationTemplate(event="received", channel="email", locale="vi",
                                 subject="Đã nhận {code}", body="Thủ tục {procedure} tại {unit}."),
        ])
        db.session.commit()
        citizen = create_user("citizen", "Citizen")
        from tests.factories import create_dossier

        dossier = create_dossier(citizen, get_unit("25279"), get_procedure(code), status="received")
        messages = {m.channel: m for m in notify_dossier_event(dossier, "received", "vi")}
        assert messages["sms"].body == f"Hồ sơ {dossier.code} (Đã tiếp nhận) hẹn trả ."
        assert messages["email"].subject == f"Đã nhận {dossier.code}"
        assert messages["email"].body == f"Thủ tục {dossier.procedure.name} tại Xã Lộc Tấn."
        other = {m.channel: m for m in notify_dossier_event(dossier, "submitted", "vi")}
        assert other["sms"].body.startswith("MotCua: ")  # no text set: built-in
        db.session.rollback()
