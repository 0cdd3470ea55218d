"""Catalogue, procedure page, blank declaration PDF and the public lookup page."""
from __future__ import annotations

import io

from pypdf import PdfReader

from app.extensions import db
from tests.factories import OfferingFactory, ProcedureFactory
from tests.helpers import auth
from tests.portal.data import birth_data, pdf_bytes, upload


def more_procedures(app, n: int = 12) -> None:
    with app.app_context():
        from app.units.operations import get_unit

        unit = get_unit("25279")
        for i in range(n):
            OfferingFactory(unit=unit, procedure=ProcedureFactory(
                name=f"Cấp bản sao trích lục số {i:02d}", level=3 if i % 2 else 2, tier="commune",
                fee=8000, processing_days=1))
        db.session.commit()


def test_catalogue_filters_paginates_and_searches_without_diacritics(app, client, birth):
    more_procedures(app)
    client.get("/?province=75&unit=25279")
    page1 = client.get("/procedures").get_data(as_text=True)
    assert page1.count('class="procedure-card"') == 10 and 'rel="next"' in page1
    page2 = client.get("/procedures?page=2").get_data(as_text=True)
    assert page2.count('class="procedure-card"') == 3
    found = client.get("/procedures?q=dang+ky+khai+sinh").get_data(as_text=True)
    assert found.count('class="procedure-card"') == 1 and "Đăng ký khai sinh" in found
    level4 = client.get("/procedures?level=4").get_data(as_text=True)
    assert level4.count('class="procedure-card"') == 1
    assert "toàn trình" in level4 and "một phần" in level4  # the Decree 42/2022 names
    level3 = client.get("/procedures?level=3&q=trich+luc").get_data(as_text=True)
    assert level3.count('class="procedure-card"') == 6
    assert client.get("/procedures?tier=province").get_data(as_text=True).count('class="procedure-card"') == 0
    field = client.get("/procedures?field=H%E1%BB%99+t%E1%BB%8Bch&q=khai+sinh").get_data(as_text=True)
    assert field.count('class="procedure-card"') == 1


def test_what_an_administrator_changes_shows_in_the_next_catalogue(app, client, birth):
    """Each worker keeps the catalogue's pages under the settings revision: an offering
    withdrawn, a procedure renamed or a field renamed shows on the very next request."""
    from sqlalchemy import select

    from app.procedures.models import Field, Procedure, UnitProcedure

    more_procedures(app, 2)
    client.get("/?province=75&unit=25279")
    first = client.get("/procedures").get_data(as_text=True)
    assert "Cấp bản sao trích lục số 00" in first and "Cấp bản sao trích lục số 01" in first
    assert client.get("/api/v1/procedures?unit=25279").get_json()["count"] == 3
    with app.app_context():
        withdrawn = db.session.scalar(select(UnitProcedure).join(Procedure).where(
            Procedure.name == "Cấp bản sao trích lục số 00"))
        withdrawn.active = False
        db.session.scalar(select(Procedure).where(
            Procedure.name == "Cấp bản sao trích lục số 01")).name = "Cấp bản sao trích lục (mới)"
        db.session.scalar(select(Field).where(Field.name == "Hộ tịch")).name = "Hộ tịch (đổi tên)"
        db.session.commit()
    after = client.get("/procedures").get_data(as_text=True)
    assert "Cấp bản sao trích lục số 00" not in after
    assert "Cấp bản sao trích lục (mới)" in after and "Cấp bản sao trích lục số 01" not in after
    assert 'value="Hộ tịch (đổi tên)"' in after
    listed = client.get("/api/v1/procedures?unit=25279").get_json()
    assert listed["count"] == 2
    assert {p["field"] for p in listed["result"] if p["code"] == birth["procedure"]} == {"Hộ tịch (đổi tên)"}


def test_catalogue_without_a_unit_sends_to_the_unit_choice(client, birth):
    assert client.get("/procedures").headers["Location"].endswith("/")


def test_home_searches_communes_without_diacritics(client, birth):
    page = client.get("/?province=75&q=loc+tan").get_data(as_text=True)
    assert '<option value="25279"' in page


def test_procedure_page_shows_level_1_and_2_information(client, birth):
    client.get("/?province=75&unit=25279")
    page = client.get("/procedures/1.001193").get_data(as_text=True)
    for text in ("Giấy chứng sinh", "Luật Hộ tịch số 60/2014/QH13", "Xã Lộc Tấn",
                 "/procedures/1.001193/declaration.pdf", "/file/1.001193?unit=25279"):
        assert text in page, text
    assert client.get("/procedures/0.000000").status_code == 404


def test_blank_declaration_pdf_has_vietnamese_labels(client, birth):
    response = client.get("/procedures/1.001193/declaration.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert "Họ, chữ đệm và tên" in text and "Người được khai sinh" in text
    flat = " ".join(text.split())
    # Every section, conditional ones included (the father's, the mother's document number).
    for expected in ("Người được khai sinh", "Thông tin người mẹ", "Thông tin người cha",
                     "Số định danh cá nhân", "□ Nam", "□ Nữ", "Tôi cam đoan nội dung đề nghị đăng ký khai sinh",
                     "NGƯỜI YÊU CẦU", "(Ký, ghi rõ họ, chữ đệm, tên)", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"):
        assert expected in flat, expected
    mother = flat[flat.index("Thông tin người mẹ"):flat.index("Thông tin người cha")]
    assert "Số định danh cá nhân" in mother and "Số giấy tờ" in mother
    assert "ỦY BAN NHÂN DÂN" not in flat and "TRUNG TÂM" not in flat  # the citizen's document


def test_lookup_page_shows_public_status_only(client, birth):
    headers = auth(client, "citizen")
    body = {"procedure": "1.001193", "unit": "25279", "data": birth_data(),
            "contact": {"phone": "0912345678", "email": "an@example.com"}, "delivery": {"method": "office"}}
    code = client.post("/api/v1/dossiers/", json=body, headers=headers).get_json()["code"]
    client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers, content_type="multipart/form-data",
                data={"document_key": "giay_chung_sinh", "file": upload(pdf_bytes(), "a.pdf")})
    client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    page = client.get(f"/lookup?code={code}&phone4=5678").get_data(as_text=True)
    assert 'id="lookup-result"' in page and "status-submitted" in page
    assert "Nguyễn" not in page and "0912345678" not in page and "an@example.com" not in page
    wrong = client.get(f"/lookup?code={code}&phone4=0000").get_data(as_text=True)
    assert 'id="lookup-result"' not in wrong and 'role="alert"' in wrong
    bad = client.get(f"/lookup?code={code}&phone4=12").get_data(as_text=True)
    assert 'id="phone4-msg"' in bad and f'value="{code}"' in bad
