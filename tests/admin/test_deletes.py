"""Nothing that dossiers or other records point to is deleted (issue 10, item 1): every admin
delete of a referenced row is refused with what still points to it and what to do instead
(withdraw, deactivate), nothing changes and the citizen's pages keep working; an unreferenced
row is deleted. The database refuses too (foreign keys, on SQLite as on PostgreSQL)."""
from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError

from app.core import deletion
from app.core.audit import AdminAuditRecord
from app.dossiers.history import record_event
from app.dossiers.models import Dossier
from app.extensions import db
from app.notifications.texts import NotificationTemplate
from app.procedures.models import (
    Field,
    Procedure,
    ProcedureTemplate,
    ProcedureVersion,
    UnitProcedure,
)
from app.procedures.operations import get_procedure
from app.security.models import UserProfile, UserUnit
from app.units.models import AdministrativeUnit
from tests.factories import (
    FieldFactory,
    OfferingFactory,
    ProcedureFactory,
    ProvinceFactory,
    UnitFactory,
    create_dossier,
    create_user,
)
from tests.helpers import web_login
from tests.portal.conftest import birth  # noqa: F401
from tests.portal.data import BIRTH_DEFINITION


@pytest.fixture
def filed(app, birth):  # noqa: F811
    """Citizen A's submitted birth registration at Xã Lộc Tấn, which the officer noted; spare
    rows nothing points to; the administrator `boss`."""
    with app.app_context():
        sm = app.appbuilder.sm
        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == "25279"))
        procedure = get_procedure("1.001193")
        officer = sm.find_user(username="officer")
        dossier = create_dossier(sm.find_user(username="citizen"), unit, procedure,
                                 data={"child": {"full_name": "Nguyễn Văn Bé"}})
        record_event(dossier, "note", officer.id, status_before="submitted",
                     status_after="submitted", note="Đã xem", public=False)
        boss = create_user("boss", "Admin")
        spare_unit = UnitFactory(code="25280", name="Xã Trống", parent=unit.parent)
        spare = ProcedureFactory(code="9.900001", name="Thủ tục chưa ai nộp",
                                 field=FieldFactory(name="Lĩnh vực dùng thử"))
        db.session.add(ProcedureTemplate(procedure=spare, title="Tờ khai", filename="to-khai.pdf",
                                         content_type="application/pdf", size=4, sha256="0" * 64,
                                         storage_key="none"))
        # of another procedure, never filed
        spare_offering = OfferingFactory(unit=spare_unit, procedure__code="9.900002",
                                         procedure__field=spare.field)
        empty_field = FieldFactory(name="Lĩnh vực trống")
        lonely = create_user("lonely", "Citizen")
        newbie = create_user("newbie", "Officer", [spare_unit])
        db.session.commit()
        return {
            "code": dossier.code, "dossier": dossier.id, "version": dossier.procedure_version_id,
            "procedure": procedure.id, "unit": unit.id, "province": unit.parent_id,
            "offering": db.session.scalar(select(UnitProcedure.id).where(
                UnitProcedure.unit_id == unit.id, UnitProcedure.procedure_id == procedure.id)),
            "field": procedure.field_id, "citizen": dossier.applicant_id, "officer": officer.id,
            "boss": boss.id, "spare_unit": spare_unit.id, "spare": spare.id,
            "spare_offering": spare_offering.id, "empty_field": empty_field.id,
            "lonely": lonely.id, "newbie": newbie.id,
        }


def alerts(response) -> str:
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return " ".join(a.get_text(" ", strip=True) for a in page.select(".alert"))


def citizen_and_officer_pages_work(app, ids) -> None:
    citizen, officer = app.test_client(), app.test_client()
    web_login(citizen, "citizen")
    web_login(officer, "officer")
    for url in ("/my/dossiers", f"/my/dossiers/{ids['code']}"):
        assert citizen.get(url).status_code == 200, url
    assert officer.get(f"/backoffice/dossiers/{ids['code']}").status_code == 200
    assert officer.get("/backoffice/").status_code == 200


def dossier_intact(app, ids) -> None:
    with app.app_context():
        dossier = db.session.get(Dossier, ids["dossier"])
        assert dossier.status == "submitted"
        assert dossier.procedure_version_id == ids["version"]
        assert db.session.get(ProcedureVersion, ids["version"]) is not None


REFUSED = [
    ("/proceduremodelview", Procedure, "procedure",
     ["Không thể xoá thủ tục «1.001193", "1 hồ sơ đã nộp theo thủ tục",
      "Hãy ngừng cung cấp (rút khỏi danh mục) thay vì xoá"]),
    ("/unitmodelview", AdministrativeUnit, "unit",
     ["Không thể xoá đơn vị «Xã Lộc Tấn (25279)»", "1 hồ sơ của đơn vị",
      "1 công chức làm việc tại đơn vị", "thủ tục được cung cấp tại đơn vị",
      "Hãy cho đơn vị ngừng hoạt động"]),
    ("/unitmodelview", AdministrativeUnit, "province",
     ["Không thể xoá đơn vị «Tỉnh Đồng Nai (75)»", "2 đơn vị trực thuộc"]),
    ("/unitproceduremodelview", UnitProcedure, "offering",
     ["Không thể xoá nơi cung cấp", "1 hồ sơ đã nộp theo thủ tục tại đơn vị này",
      "Hãy ngừng cung cấp tại đơn vị này thay vì xoá"]),
    ("/fieldmodelview", Field, "field",
     ["Không thể xoá lĩnh vực «Hộ tịch»", "1 thủ tục thuộc lĩnh vực",
      "Hãy chuyển các thủ tục này sang lĩnh vực khác"]),
    ("/admin/citizens", None, "citizen",
     ["Không thể xoá tài khoản «citizen»", "1 hồ sơ do người này nộp hoặc được giao xử lý",
      "Hãy khoá tài khoản thay vì xoá"]),
    ("/users", None, "officer",
     ["Không thể xoá tài khoản «officer»", "1 thao tác trong lịch sử hồ sơ",
      "Hãy khoá tài khoản thay vì xoá"]),
]


@pytest.mark.parametrize("view, model, key, fragments", REFUSED,
                         ids=[case[2] for case in REFUSED])
def test_deleting_what_a_dossier_points_to_is_refused_with_the_reason(app, client, filed, view,
                                                                        model, key, fragments):
    web_login(client, "boss")
    client.get(f"{view}/list/")
    response = client.post(f"{view}/delete/{filed[key]}")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    said = alerts(page)
    for fragment in fragments:
        assert fragment in said, said
    assert "Đã xoá bản ghi" not in said
    with app.app_context():
        model = model or app.appbuilder.sm.user_model
        assert db.session.get(model, filed[key]) is not None
        assert db.session.scalar(select(func.count()).select_from(AdminAuditRecord).where(
            AdminAuditRecord.action == "delete")) == 0
    dossier_intact(app, filed)
    citizen_and_officer_pages_work(app, filed)
    assert client.get(f"{view}/list/").status_code == 200  # the session is usable


def test_a_refused_delete_shows_the_row_with_its_alternative(app, client, filed):
    web_login(client, "boss")
    response = client.post(f"/proceduremodelview/delete/{filed['procedure']}",
                           follow_redirects=True)
    assert response.request.path == f"/proceduremodelview/show/{filed['procedure']}"
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Ngừng cung cấp (rút khỏi danh mục)" in page.get_text()  # the action's button


DELETED = [
    ("/proceduremodelview", Procedure, "spare"),
    ("/unitmodelview", AdministrativeUnit, "spare_unit_alone"),
    ("/unitproceduremodelview", UnitProcedure, "spare_offering"),
    ("/fieldmodelview", Field, "empty_field"),
    ("/admin/citizens", None, "lonely"),
    ("/users", None, "newbie"),
]


@pytest.mark.parametrize("view, model, key", DELETED, ids=[case[2] for case in DELETED])
def test_a_row_nothing_points_to_is_deleted(app, client, filed, view, model, key):
    if key == "spare_unit_alone":  # a unit of its own: no offering, no officer
        with app.app_context():
            filed[key] = UnitFactory(code="25281", name="Xã Bỏ Trống").id
    web_login(client, "boss")
    response = client.post(f"{view}/delete/{filed[key]}", follow_redirects=True)
    assert response.status_code == 200
    assert "Đã xoá bản ghi" in alerts(response)
    with app.app_context():
        model = model or app.appbuilder.sm.user_model
        assert db.session.get(model, filed[key]) is None
        assert db.session.scalar(select(func.count()).select_from(AdminAuditRecord).where(
            AdminAuditRecord.action == "delete")) == 1
        if key == "spare":  # its versions and templates went with it
            assert db.session.scalar(select(func.count()).select_from(ProcedureVersion).where(
                ProcedureVersion.procedure_id == filed["spare"])) == 0
            assert db.session.scalar(select(func.count()).select_from(ProcedureTemplate)) == 0
        if key in ("lonely", "newbie"):  # the account's profile and units went with it
            assert db.session.get(UserProfile, filed[key]) is None
            assert db.session.scalar(select(func.count()).select_from(UserUnit).where(
                UserUnit.user_id == filed[key])) == 0
    citizen_and_officer_pages_work(app, filed)


def test_an_officers_unit_link_is_deleted(app, client, filed):
    web_login(client, "boss")
    pk = json.dumps([filed["newbie"], filed["spare_unit"]])
    client.post(f"/userunitmodelview/delete/{pk}")
    with app.app_context():
        assert db.session.get(UserUnit, (filed["newbie"], filed["spare_unit"])) is None


def test_withdrawing_in_bulk_hides_procedures_while_their_dossiers_keep_working(app, client,
                                                                                filed):
    web_login(client, "boss")
    response = client.post("/proceduremodelview/action_post", data={
        "action": "withdraw", "rowid": [str(filed["procedure"]), str(filed["spare"])]},
        follow_redirects=True)
    assert "Đã ngừng cung cấp 2 thủ tục (rút khỏi danh mục)." in alerts(response)
    with app.app_context():
        assert not db.session.get(Procedure, filed["procedure"]).active
        assert db.session.scalar(select(func.count()).select_from(AdminAuditRecord).where(
            AdminAuditRecord.action == "withdraw")) == 2
    catalogue = client.get("/api/v1/procedures?unit=25279").get_json()
    assert "1.001193" not in json.dumps(catalogue)
    assert client.get("/procedures/1.001193").status_code == 404
    dossier_intact(app, filed)
    citizen_and_officer_pages_work(app, filed)
    client.post(f"/proceduremodelview/action/reinstate/{filed['procedure']}")
    assert "1.001193" in json.dumps(client.get("/api/v1/procedures?unit=25279").get_json())


def test_reimporting_after_a_refused_delete_changes_nothing(app, client, filed):
    """The issue's scenario: delete, then import the definition again."""
    web_login(client, "boss")
    client.post(f"/proceduremodelview/delete/{filed['procedure']}")
    response = client.post("/admin/procedure-editor/import", data={
        "units": "25279", "files": [(io.BytesIO(BIRTH_DEFINITION.read_bytes()),
                                     BIRTH_DEFINITION.name)]},
        content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "1.001193 v1" in alerts(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProcedureVersion).where(
            ProcedureVersion.procedure_id == filed["procedure"])) == 1
    dossier_intact(app, filed)
    citizen_and_officer_pages_work(app, filed)


def test_offerings_units_and_accounts_are_switched_off_instead(app, client, filed):
    web_login(client, "boss")
    client.post("/unitproceduremodelview/action_post",
                data={"action": "withdraw", "rowid": [str(filed["offering"])]})
    client.post(f"/unitmodelview/action/deactivate/{filed['spare_unit']}")
    client.post(f"/users/action/deactivate/{filed['officer']}")
    own = client.post(f"/users/action/deactivate/{filed['boss']}", follow_redirects=True)
    assert "Bạn không thể tự khóa tài khoản của mình." in alerts(own)
    with app.app_context():
        assert not db.session.get(UnitProcedure, filed["offering"]).active
        assert not db.session.get(AdministrativeUnit, filed["spare_unit"]).active
        sm = app.appbuilder.sm
        assert not db.session.get(sm.user_model, filed["officer"]).active
        assert db.session.get(sm.user_model, filed["boss"]).active
    citizen = app.test_client()
    web_login(citizen, "citizen")
    assert citizen.get(f"/my/dossiers/{filed['code']}").status_code == 200
    refused = citizen.post("/api/v1/dossiers", json={
        "procedure": "1.001193", "unit": "25279", "data": {},
        "contact": {"phone": "0912345678", "email": "a@example.test"}},
        headers=_token(app, "citizen"))
    assert refused.status_code == 422  # no longer offered there


def _token(app, username):
    from tests.helpers import auth

    return auth(app.test_client(), username)


def test_when_the_count_misses_a_reference_the_database_still_refuses(app, client, filed,
                                                                      monkeypatch):
    monkeypatch.setattr(deletion, "blockers", lambda item: [])
    web_login(client, "boss")
    response = client.post(f"/proceduremodelview/delete/{filed['procedure']}",
                           follow_redirects=True)
    assert response.status_code == 200
    assert "dữ liệu khác vẫn tham chiếu đến bản ghi này" in alerts(response)
    with app.app_context():
        assert db.session.get(Procedure, filed["procedure"]) is not None
    dossier_intact(app, filed)
    citizen_and_officer_pages_work(app, filed)


def test_the_database_refuses_deleting_what_a_dossier_points_to(app, filed, is_postgres):
    with app.app_context():
        if not is_postgres:  # every connection, not only the first
            assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        for statement in (delete(ProcedureVersion).where(ProcedureVersion.id == filed["version"]),
                          delete(AdministrativeUnit).where(AdministrativeUnit.id == filed["unit"])):
            with pytest.raises(IntegrityError):
                with db.session.begin_nested():
                    db.session.execute(statement)
        db.session.rollback()
        assert db.session.get(ProcedureVersion, filed["version"]) is not None


def test_a_provinces_texts_and_a_units_officers_keep_them_from_being_deleted(app, filed):
    """These two references used to cascade (migration 0013)."""
    with app.app_context():
        province = ProvinceFactory(code="99", name="Tỉnh Thử")
        db.session.add(NotificationTemplate(event="received", channel="sms", locale="vi",
                                            province=province, body="{code}"))
        db.session.commit()
        assert deletion.blockers(province) == ["1 mẫu thông báo riêng của tỉnh"]
        spare_unit = db.session.get(AdministrativeUnit, filed["spare_unit"])
        assert "1 công chức làm việc tại đơn vị" in deletion.blockers(spare_unit)
        for statement in (delete(AdministrativeUnit).where(AdministrativeUnit.id == province.id),
                          delete(AdministrativeUnit).where(AdministrativeUnit.id == spare_unit.id)):
            with pytest.raises(IntegrityError):
                with db.session.begin_nested():
                    db.session.execute(statement)
        db.session.rollback()


def test_a_procedure_a_linked_procedure_opens_is_not_deleted(app, filed):
    with app.app_context():
        ProcedureFactory(code="2.000986", linked_procedures=["1.001193", "9.900001"])
        assert deletion.blockers(db.session.get(Procedure, filed["spare"])) == [
            "1 thủ tục liên thông (2.000986) mở hồ sơ của thủ tục này"]


def test_versions_are_never_deleted_from_their_list(app, client, filed):
    """Versions are read there; a version goes only with its procedure (checked above)."""
    web_login(client, "boss")
    response = client.post(f"/procedureversionmodelview/delete/{filed['version']}")
    assert response.status_code in (302, 403)
    with app.app_context():
        assert db.session.get(ProcedureVersion, filed["version"]) is not None
    dossier_intact(app, filed)


def test_templates_and_texts_nothing_points_to_are_deleted_despite_dossiers(app, client, filed):
    with app.app_context():
        procedure = get_procedure("1.001193")
        template = ProcedureTemplate(procedure=procedure, title="Tờ khai", filename="a.pdf",
                                     content_type="application/pdf", size=4, sha256="0" * 64,
                                     storage_key="none")
        text_row = NotificationTemplate(event="received", channel="sms", locale="vi", body="{code}")
        db.session.add_all([template, text_row])
        db.session.commit()
        template_id, text_id = template.id, text_row.id
    web_login(client, "boss")
    client.post(f"/admin/procedure-editor/1.001193/templates/{template_id}/delete")
    client.post(f"/admin/notification-texts/delete/{text_id}")
    with app.app_context():
        assert db.session.get(ProcedureTemplate, template_id) is None
        assert db.session.get(NotificationTemplate, text_id) is None
    dossier_intact(app, filed)
    citizen_and_officer_pages_work(app, filed)


DELETABLE = {"administrative_units": "administrative_units", "procedures": "procedures",
             "procedure_versions": "procedures", "procedure_fields": "procedure_fields",
             "unit_procedures": "unit_procedures", "ab_user": "ab_user"}


def test_every_reference_that_refuses_a_delete_is_named_in_words(app):
    """No refusal ever reads "rows of <table>": each blocking key has its Vietnamese name."""
    with app.app_context():
        missing = []
        for table in db.metadata.sorted_tables:
            for fk in table.foreign_key_constraints:
                target = DELETABLE.get(fk.referred_table.name)
                if target is None or (fk.ondelete or "").upper() in deletion.NOT_BLOCKING:
                    continue
                mapper = deletion._mapper_of(fk.referred_table)
                if next(iter(fk.columns)) in deletion._orphaned(mapper):
                    continue
                if table.name == "procedure_versions" and target == "procedures":
                    continue  # owned: deleted with the procedure
                if (table.name, target) not in deletion.LABELS and \
                        (table.name, None) not in deletion.LABELS:
                    missing.append(f"{table.name}.{next(iter(fk.columns)).name} -> {target}")
        assert missing == []


def test_every_foreign_key_of_ours_says_what_a_delete_does(app):
    """A deliberate choice per key: NO ACTION (refuse), CASCADE (part of the row), SET NULL."""
    with app.app_context():
        unstated = [f"{t.name}.{c.parent.name}" for t in db.metadata.sorted_tables
                    if not t.name.startswith("ab_") for c in t.foreign_keys if c.ondelete is None]
        assert unstated == []
