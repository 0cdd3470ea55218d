"""Administrators choose units by name (province, then commune), never by typing codes: offering a
procedure, staff accounts, import. These are the pages without JavaScript; the browser test
(tests/e2e/test_admin_tools.py) types a name."""
from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.extensions import db
from app.procedures.models import UnitProcedure
from app.procedures.operations import get_procedure
from app.security.models import UserUnit
from tests.factories import ProcedureFactory, ProvinceFactory, UnitFactory, create_user
from tests.helpers import web_login

PICK = "unit_pick.unit"  # the commune select of the picker; "+ ._province" the province one


@pytest.fixture
def units(app):
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai", search_name="tinh dong nai")
        UnitFactory(code="25279", name="Xã Lộc Tấn", search_name="xa loc tan", parent=province)
        UnitFactory(code="25280", name="Xã Lộc Thạnh", search_name="xa loc thanh", parent=province)
        other = ProvinceFactory(code="24", name="Tỉnh Bắc Ninh", search_name="tinh bac ninh")
        UnitFactory(code="09208", name="Xã Tam Đa", search_name="xa tam da", parent=other)
        create_user("admin", "Admin")
        ProcedureFactory(code="1.001193")


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _chosen(page) -> dict[str, str]:
    return {box["value"]: box.find_parent("label").get_text(" ", strip=True)
            for box in page.select(".mc-unit-choice input[type=checkbox][name=unit]")
            if box.has_attr("checked")}


STAFF = {"username": "canbo.moi", "last_name": "Nguyễn Văn", "first_name": "An",
         "email": "an@example.test", "role": "Officer", "password": "Manh@Khoe2026"}


@pytest.mark.parametrize("path", ["/admin/staff/new", "/admin/units-tools/assign/1.001193",
                                  "/admin/procedure-editor/import"])
def test_every_unit_choice_offers_provinces_by_name_and_no_code_box(app, client, units, path):
    web_login(client, "admin")
    page = _page(client.get(path))
    chooser = page.select_one(".mc-unit-choice[data-mc-unit-choice=unit]")
    provinces = chooser.select_one(f"select[name='{PICK}._province']")
    assert [o.get_text() for o in provinces.select("option")][1:] == ["Tỉnh Bắc Ninh", "Tỉnh Đồng Nai"]
    assert page.select_one(f"label[for={provinces['id']}]")
    commune = chooser.select_one(f"select[name='{PICK}']")
    assert page.select_one(f"label[for={commune['id']}]")
    assert chooser.select_one("button[name=_refresh]") and chooser.select_one("button[name=_unit_add]")
    assert not page.select("input[name=units], textarea[name=units]")  # no codes to type
    assert "Mã đơn vị" not in page.get_text()
    assert page.select_one("script[src$='/static/forms/forms.js']")  # the engine's picker script


def test_without_javascript_an_officer_is_created_by_picking_province_then_commune(app, client, units):
    web_login(client, "admin")
    # 1. the province: its communes are listed, everything typed stays
    shown = client.post("/admin/staff/new", data={**STAFF, f"{PICK}._province": "75",
                                                  "_refresh": "unit"})
    assert shown.status_code == 200
    page = _page(shown)
    communes = [o.get_text() for o in page.select(f"select[name='{PICK}'] option")][1:]
    assert communes == ["Xã Lộc Tấn", "Xã Lộc Thạnh"]
    assert page.select_one("#username")["value"] == "canbo.moi"
    assert page.select_one("#password")["value"] == "Manh@Khoe2026"
    # 2. the commune, added: shown by name, stored as its code
    added = _page(client.post("/admin/staff/new", data={
        **STAFF, f"{PICK}._province": "75", PICK: "25280", "_unit_add": "unit"}))
    assert _chosen(added) == {"25280": "Xã Lộc Thạnh, Tỉnh Đồng Nai (25280)"}
    assert not added.select_one(f"select[name='{PICK}'] option[selected]")  # ready for the next
    # 3. a second one picked and not added counts when the page is saved
    saved = client.post("/admin/staff/new", data={
        **STAFF, "unit": "25280", f"{PICK}._province": "24", PICK: "09208"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        from app.units.models import AdministrativeUnit

        codes = set(db.session.scalars(select(AdministrativeUnit.code).join(
            UserUnit, UserUnit.unit_id == AdministrativeUnit.id)))
        assert codes == {"25280", "09208"}


def test_an_officer_without_a_unit_is_refused_beside_the_chooser(app, client, units):
    web_login(client, "admin")
    response = client.post("/admin/staff/new", data={**STAFF, f"{PICK}._province": "75"})
    assert response.status_code == 422  # a province alone is only the first step
    page = _page(response)
    chooser = page.select_one(".mc-unit-choice")
    assert "has-error" in chooser["class"]
    error = chooser.select_one(".mc-error")
    assert "ít nhất một đơn vị" in error.get_text()
    assert error["id"] in chooser["aria-describedby"]
    assert page.select_one("#email")["value"] == "an@example.test"


def test_staff_edit_shows_units_by_name_and_untick_removes(app, client, units):
    with app.app_context():
        from app.units.operations import get_unit

        officer = create_user("officer", "Officer", units=[get_unit("25279"), get_unit("09208")])
        user_id = officer.id
    web_login(client, "admin")
    page = _page(client.get(f"/admin/staff/{user_id}"))
    assert _chosen(page) == {"25279": "Xã Lộc Tấn, Tỉnh Đồng Nai (25279)",
                             "09208": "Xã Tam Đa, Tỉnh Bắc Ninh (09208)"}
    saved = client.post(f"/admin/staff/{user_id}", data={"unit": "09208", "active": "1", "action": "save"})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(UserUnit.unit_id).where(UserUnit.user_id == user_id)) is not None
        assert db.session.query(UserUnit).filter_by(user_id=user_id).count() == 1


def test_offering_a_procedure_at_units_picked_by_name(app, client, units):
    web_login(client, "admin")
    searched = client.post("/admin/units-tools/assign/1.001193", data={
        f"{PICK}._province": "75", PICK: "25279", "_unit_add": "unit", "fee_override": "8000"})
    page = _page(searched)
    assert _chosen(page) == {"25279": "Xã Lộc Tấn, Tỉnh Đồng Nai (25279)"}
    assert page.select_one("#fee_override")["value"] == "8000"
    saved = client.post("/admin/units-tools/assign/1.001193", data={
        "unit": "25279", f"{PICK}._province": "24", PICK: "09208", "fee_override": "8000"})
    assert saved.status_code == 302
    with app.app_context():
        procedure = get_procedure("1.001193")
        offered = {o.unit.code: o.fee for o in db.session.scalars(
            select(UnitProcedure).where(UnitProcedure.procedure_id == procedure.id))}
        assert offered == {"25279": 8000, "09208": 8000}


def test_adding_nothing_says_what_to_pick(app, client, units):
    web_login(client, "admin")
    page = _page(client.post("/admin/units-tools/assign/1.001193", data={"_unit_add": "unit"}))
    assert "Chọn tỉnh" in page.select_one(".mc-unit-choice .mc-error").get_text()


def test_import_offers_the_definition_at_units_picked_by_name(app, client, units):
    from tests.portal.data import BIRTH_DEFINITION

    web_login(client, "admin")
    raw = BIRTH_DEFINITION.read_bytes()
    definition = json.loads(raw)
    definition["code"] = "LOCAL.IMP"
    again = client.post("/admin/procedure-editor/import", data={
        f"{PICK}._province": "75", "_refresh": "unit",
        "files": [(io.BytesIO(raw), "birth.json")]}, content_type="multipart/form-data")
    page = _page(again)
    assert again.status_code == 200 and "chọn lại tệp" in page.get_text().lower()
    assert [o.get_text() for o in page.select(f"select[name='{PICK}'] option")][1:] == \
        ["Xã Lộc Tấn", "Xã Lộc Thạnh"]
    done = client.post("/admin/procedure-editor/import", data={
        "unit": "25280", "files": [(io.BytesIO(json.dumps(definition).encode()), "local.json")]},
        content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)
    with app.app_context():
        procedure = get_procedure("LOCAL.IMP")
        assert [o.unit.code for o in db.session.scalars(select(UnitProcedure).where(
            UnitProcedure.procedure_id == procedure.id))] == ["25280"]


def test_a_unit_name_is_escaped_in_the_chooser(app, client, units):
    with app.app_context():
        from app.units.operations import get_unit

        get_unit("25280").name = "<b>Xã</b> \"Lộc\""
        db.session.commit()
    web_login(client, "admin")
    html = client.post("/admin/units-tools/assign/1.001193", data={
        "unit": "25280"}, follow_redirects=False)
    text = client.get("/admin/units-tools/assign/1.001193").get_data(as_text=True)
    assert html.status_code == 302
    assert "<b>Xã</b>" not in text
    page = _page(client.post("/admin/units-tools/assign/1.001193", data={"unit": "25280", "_unit_add": "unit"}))
    assert "<b>Xã</b> \"Lộc\", Tỉnh Đồng Nai (25280)" in _chosen(page)["25280"]
