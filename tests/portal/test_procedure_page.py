"""The procedure page: where to go (office address, phone, e-mail, hours), who may file, the
requirements, and the uploaded templates; the demo communes carry office details."""
from __future__ import annotations

import json

from app.demo import DEMO_OFFICES, LOC_TAN, seed_offices
from app.extensions import db
from app.procedures.definitions import load_file
from app.procedures.operations import get_procedure, import_definition
from app.procedures.templates import add_template
from app.units.operations import get_unit
from tests.portal.data import BIRTH_DEFINITION, pdf_bytes


def _with_applicants_and_requirements(app, tmp_path, unit_code: str) -> None:
    definition = json.loads(BIRTH_DEFINITION.read_text(encoding="utf-8"))
    definition.update(applicants="Công dân Việt Nam", applicants_en="Vietnamese citizens",
                      requirements=["Trẻ em sinh ra còn sống", "Chưa được đăng ký khai sinh"])
    path = tmp_path / "birth.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    with app.app_context():
        import_definition(load_file(str(path)), [unit_code])
        db.session.commit()


def test_the_page_says_where_when_and_how_to_reach_the_office(app, client, birth):
    with app.app_context():
        seed_offices()
        db.session.commit()
    html = client.get(f"/procedures/1.001193?unit={LOC_TAN}").get_data(as_text=True)
    office = DEMO_OFFICES[LOC_TAN]
    assert office["address"] in html and "(dữ liệu mẫu)" in html
    assert f'href="tel:{office["phone"]}"' in html and f'href="mailto:{office["email"]}"' in html
    assert office["office_hours"] in html


def test_demo_offices_do_not_overwrite_what_an_administrator_set(app, birth):
    with app.app_context():
        get_unit(LOC_TAN).phone = "0271 999 999"
        seed_offices()
        assert get_unit(LOC_TAN).phone == "0271 999 999"
        assert get_unit(LOC_TAN).email == DEMO_OFFICES[LOC_TAN]["email"]


def test_who_may_file_and_the_requirements_are_shown_when_the_definition_has_them(
        app, client, birth, tmp_path):
    before = client.get("/procedures/1.001193").get_data(as_text=True)
    assert "Đối tượng thực hiện" not in before and "Yêu cầu, điều kiện" not in before
    _with_applicants_and_requirements(app, tmp_path, birth["unit"])
    html = client.get("/procedures/1.001193").get_data(as_text=True)
    assert "<dt>Đối tượng thực hiện</dt><dd>Công dân Việt Nam</dd>" in html
    assert "Yêu cầu, điều kiện" in html and "<li>Chưa được đăng ký khai sinh</li>" in html
    english = client.get("/procedures/1.001193?_l_=en").get_data(as_text=True)
    assert "Vietnamese citizens" in english


def test_uploaded_templates_are_listed_and_download(app, client, birth):
    with app.app_context():
        add_template(get_procedure("1.001193"), "Tờ khai đăng ký khai sinh (mẫu)", "to-khai.pdf",
                     pdf_bytes("To khai"))
        db.session.commit()
    html = client.get("/procedures/1.001193").get_data(as_text=True)
    assert "Tờ khai đăng ký khai sinh (mẫu)" in html and "to-khai.pdf" in html
    link = html.split("Tờ khai đăng ký khai sinh (mẫu)")[0].rsplit('href="', 1)[1].split('"')[0]
    response = client.get(link)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
