"""The administrator browses units (by parent), procedures and dossiers in FAB."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from tests.factories import OfferingFactory, ProvinceFactory, UnitFactory, create_dossier, create_user
from tests.helpers import web_login


@pytest.fixture
def tree(app):
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai")
        other = ProvinceFactory(code="24", name="Tỉnh Bắc Ninh")
        loc_tan = UnitFactory(code="25279", name="Xã Lộc Tấn", parent=province)
        UnitFactory(code="09208", name="Xã Tam Đa", parent=other)
        offering = OfferingFactory(unit=loc_tan, procedure__name="Đăng ký khai sinh")
        create_user("boss", "Admin")
        dossier = create_dossier(create_user("c1", "Citizen"), loc_tan, offering.procedure)
        return {"province_id": province.id, "dossier": dossier.code}


def test_admin_browses_units_by_parent(client, tree):
    web_login(client, "boss")
    page = client.get("/unitmodelview/list/").get_data(as_text=True)
    assert "Tỉnh Đồng Nai" in page and "Xã Lộc Tấn" in page
    children = client.get(f"/unitmodelview/list/?_flt_0_parent={tree['province_id']}")
    text = children.get_data(as_text=True)
    assert "Xã Lộc Tấn" in text and "Xã Tam Đa" not in text


def test_admin_browses_procedures_and_dossiers_in_vietnamese(client, tree):
    web_login(client, "boss")
    procedures = client.get("/proceduremodelview/list/").get_data(as_text=True)
    assert "Đăng ký khai sinh" in procedures
    assert "Thời hạn giải quyết" in procedures  # column label from our catalogue
    dossiers = client.get("/dossiermodelview/list/").get_data(as_text=True)
    assert tree["dossier"] in dossiers
    assert "Đăng xuất" in client.get("/admin/").get_data(as_text=True)


def test_citizen_cannot_open_the_admin_lists(client, tree):
    web_login(client, "c1")
    response = client.get("/unitmodelview/list/")
    assert response.status_code in (302, 403)


def test_password_policy_applies_to_fab_password_forms(client, tree, app):
    web_login(client, "boss")
    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username="c1").id
    weak = client.post(f"/users/action/resetpasswords/{user_id}", follow_redirects=True)
    form_url = weak.request.path + "?" + weak.request.query_string.decode()
    response = client.post(form_url, data={"password": "abc", "conf_password": "abc"})
    page = response.get_data(as_text=True)
    assert "Mật khẩu cần có" in page and "ít nhất 10 ký tự" in page


def test_assigning_in_the_admin_goes_through_the_state_machine(client, tree, app):
    with app.app_context():
        from app.dossiers.models import Dossier, DossierEvent
        from app.extensions import db
        from app.units.models import AdministrativeUnit

        loc_tan = db.session.scalar(db.select(AdministrativeUnit).where(AdministrativeUnit.code == "25279"))
        colleague = create_user("colleague", "Officer", [loc_tan]).id
        outsider = create_user("outsider", "Officer", []).id
        dossier_id = db.session.scalar(db.select(Dossier.id).where(Dossier.code == tree["dossier"]))
    web_login(client, "boss")
    refused = client.post(f"/dossiermodelview/edit/{dossier_id}", data={"assignee": str(outsider)},
                          follow_redirects=True)
    assert refused.status_code == 200
    assert "Chọn một công chức của đơn vị này" in refused.get_data(as_text=True)
    client.post(f"/dossiermodelview/edit/{dossier_id}", data={"assignee": str(colleague)})
    with app.app_context():
        dossier = db.session.get(Dossier, dossier_id)
        assert dossier.assignee_id == colleague
        actions = [e.action for e in db.session.scalars(
            db.select(DossierEvent).where(DossierEvent.dossier_id == dossier_id))]
        assert actions == ["create", "assign"]


def test_staff_lists_show_the_office_and_citizens_have_their_own(client, tree, app):
    """Issue 10, item 23: FAB's user list and the staff page list no citizen; roles in words."""
    def cells(url):
        page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
        return [td.get_text(" ", strip=True) for td in page.select("td")]

    web_login(client, "boss")
    for url in ("/users/list/", "/admin/staff/"):
        shown = cells(url)
        assert "boss" in shown and "Quản trị viên" in shown
        assert "c1" not in shown, url
        assert "[Admin]" not in shown and "Admin" not in shown
    citizens = cells("/admin/citizens/list/")
    assert "c1" in citizens and "boss" not in citizens
    with app.app_context():
        citizen_id = app.appbuilder.sm.find_user(username="c1").id
    assert client.get(f"/users/show/{citizen_id}").status_code == 404
    assert client.get(f"/admin/citizens/show/{citizen_id}").status_code == 200


def test_a_citizen_still_reads_their_own_account_page(client, tree):
    web_login(client, "c1")
    page = client.get("/users/userinfo/").get_data(as_text=True)
    assert "c1" in page and "Công dân" in page
