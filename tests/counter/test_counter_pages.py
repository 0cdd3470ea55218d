"""The back office's counter page, the register page and exports, the citizen's claim page."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, new_dossier, user
from tests.helpers import web_login
from tests.portal.data import pdf_bytes
from tests.portal.web import login


def test_officer_takes_a_walk_in_dossier_at_the_counter_page(client, app, world):
    web_login(client, "officer")
    page = client.get("/backoffice/counter").get_data(as_text=True)
    assert "Tiếp nhận hồ sơ trực tiếp" in page
    assert "Trung tâm Phục vụ hành chính công xã Lộc Tấn" in page
    response = client.post("/backoffice/counter", data={
        "unit": world.unit_code, "procedure": world.procedure_code, "name": "Lê Văn Cường",
        "id_number": "001190012345", "phone": "0987654321", "method": "office"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    fill_url = response.headers["Location"]
    code = fill_url.rstrip("/").rsplit("/", 1)[-1]
    page = client.get(fill_url).get_data(as_text=True)
    assert "Lê Văn Cường" in page and "Họ và tên" in page  # the generated form
    # Receive without the scan: refused beside the paper, nothing received.
    refused = client.post(fill_url, data={"full_name": "Lê Văn Con", "receive": "1"},
                          content_type="multipart/form-data")
    assert refused.status_code == 422
    with app.app_context():
        assert get(code).status == "draft" and get(code).data == {"full_name": "Lê Văn Con"}
    done = client.post(fill_url, data={"full_name": "Lê Văn Con", "receive": "1",
                                       "file-to_khai": (io.BytesIO(pdf_bytes()), "scan.pdf")},
                       content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)[:3000]
    with app.app_context():
        dossier = get(code)
        assert (dossier.status, dossier.channel, dossier.register_number) == ("received", "counter", 1)
    receipt = client.get(f"/documents/{code}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.data.startswith(b"%PDF")
    detail = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert "Lê Văn Cường" in detail and "1/" in detail


def test_citizens_and_other_units_cannot_use_the_counter(client, app, world):
    login(client, "citizen")
    assert client.get("/backoffice/counter").status_code == 403


def test_register_page_and_exports_show_only_the_officers_units(client, app, world, clock):
    with app.app_context():
        clock.set(at(2026, 3, 3, 9))
        dossier = new_dossier(world)
        act(user("officer"), dossier, "receive")
        code = dossier.code
    web_login(client, "officer")
    page = client.get("/backoffice/register?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    assert code in page and "1/2026" in page
    assert code not in client.get("/backoffice/register?from=2026-04-01").get_data(as_text=True)
    pdf = client.get(f"/backoffice/register?unit={world.unit_code}&format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = client.get(f"/backoffice/register?unit={world.unit_code}&format=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2][0] == "SỔ THEO DÕI HỒ SƠ"
    assert any(row[0] == "1/2026" and row[1] == code for row in values)
    assert client.get(f"/backoffice/register?unit={world.other_unit_code}").status_code == 404
    other = app.test_client()
    web_login(other, "officer2")
    assert code not in other.get("/backoffice/register").get_data(as_text=True)


def test_citizen_claims_on_the_my_pages(client, app, world, clock):
    with app.app_context():
        clock.set(at(2026, 3, 3, 9))
        dossier = new_dossier(world, owner="citizen", channel="counter", applicant_id=None,
                              applicant_name="Lê Văn Cường", contact_phone="0987654321")
        act(user("officer"), dossier, "receive")
        code = dossier.code
    login(client, "citizen2")
    assert "Thêm hồ sơ đã nộp trực tiếp" in client.get("/my/claim").get_data(as_text=True)
    wrong = client.post("/my/claim", data={"code": code, "phone": "0900000000"})
    assert wrong.status_code == 404
    right = client.post("/my/claim", data={"code": code, "phone": "0987654321"})
    assert right.status_code == 302
    assert client.get(f"/my/dossiers/{code}").status_code == 200


def test_the_centre_is_named_as_the_unit_calls_it(app, world):
    from sqlalchemy import select

    from app.extensions import db
    from app.units.models import AdministrativeUnit

    with app.app_context():
        unit = db.session.scalar(select(AdministrativeUnit).where(
            AdministrativeUnit.code == world.unit_code))
        assert unit.centre == "Trung tâm Phục vụ hành chính công xã Lộc Tấn"
        unit.centre_name = "Trung tâm Phục vụ hành chính công xã Lộc Tấn (cơ sở 2)"
        assert unit.centre.endswith("(cơ sở 2)")
        assert unit.province.running_name == "tỉnh Đồng Nai"


def test_the_receipt_carries_the_register_number_the_times_and_the_centre(app, world, clock):
    from pypdf import PdfReader

    from app.dossiers.papers import receipt

    with app.app_context():
        clock.set(at(2026, 3, 3, 9, 5))
        dossier = new_dossier(world)
        act(user("officer"), dossier, "receive")
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt(get(dossier.code)))).pages)
    flat = " ".join(text.split())
    assert "Quyển số: 2026, Số thứ tự: 1" in flat
    assert "09 giờ 05 phút, ngày 03 tháng 3 năm 2026" in flat
    assert "16 giờ 00 phút, ngày 06 tháng 3 năm 2026" in flat
    assert "Trung tâm Phục vụ hành chính công xã Lộc Tấn" in flat
    assert "Bộ phận Một cửa" not in flat
