"""Home page, language switch, localized error pages, production start-up checks."""
from __future__ import annotations

import subprocess
import sys

import pytest

from app import create_app
from tests.factories import OfferingFactory, ProvinceFactory, UnitFactory
from tests.helpers import logout


@pytest.fixture
def commune(app):
    with app.app_context():
        province = ProvinceFactory(name="Tỉnh Đồng Nai", code="75")
        unit = UnitFactory(name="Xã Lộc Tấn", code="25279", parent=province)
        OfferingFactory(unit=unit, procedure__name="Đăng ký khai sinh", procedure__fee=8000,
                        procedure__processing_days=0)
        return unit.code


def test_home_page_is_vietnamese_and_lists_the_units_procedures(client, commune):
    page = client.get("/?province=75&unit=25279").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Dịch vụ công trực tuyến" in page
    assert "Chọn đơn vị hành chính" in page
    assert "Thủ tục tại Xã Lộc Tấn" in page
    assert "Đăng ký khai sinh" in page
    assert "Trong ngày làm việc" in page and "8.000 đ" in page


def test_unit_choice_is_remembered_for_the_visit(client, commune):
    client.get("/?province=75&unit=25279")
    assert "Thủ tục tại Xã Lộc Tấn" in client.get("/").get_data(as_text=True)


def test_language_switch_to_english(client, commune):
    client.get("/language/en", headers={"Referer": "http://localhost/"})
    page = client.get("/?province=75&unit=25279").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Procedures at Xã Lộc Tấn" in page
    assert client.get("/language/xx").status_code == 302


def test_error_pages_are_localized_without_traces(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Không tìm thấy trang" in page and "Traceback" not in page
    api = client.get("/api/v1/dossiers/none/xyz")
    assert api.status_code == 404 and api.is_json


def test_unexpected_errors_show_a_friendly_500(app):
    app_500 = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    app_500.config["PROPAGATE_EXCEPTIONS"] = False

    @app_500.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app_500.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Dữ liệu của bạn vẫn an toàn" in page and "secret internals" not in page


def run_production(env: dict) -> subprocess.CompletedProcess:
    code = "from app import create_app; create_app('production')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", **env}, timeout=60)


def test_production_refuses_a_weak_secret_key_in_one_line(tmp_path):
    result = run_production({"SECRET_KEY": "short", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert result.returncode != 0
    assert "refusing to start: SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_production_refuses_an_unreachable_database_in_one_line():
    result = run_production({"SECRET_KEY": "x" * 48,
                             "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert result.returncode != 0
    assert "cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_units_and_procedures_api_search_without_diacritics(client, commune):
    units = client.get("/api/v1/units?q=loc tan").get_json()["result"]
    assert {"code": "25279", "name": "Xã Lộc Tấn", "level": "commune", "parent_code": "75"} in units
    found = client.get("/api/v1/procedures?unit=25279&q=dang ky khai sinh").get_json()["result"]
    assert [p["name"] for p in found] == ["Đăng ký khai sinh"]
    assert client.get("/api/v1/procedures?unit=25279&q=ket hon").get_json()["result"] == []
    code = found[0]["code"]
    detail = client.get(f"/api/v1/procedures/{code}").get_json()
    assert detail["version"] == 1 and detail["schema"]["type"] == "object"
    assert client.get("/api/v1/procedures/nope").status_code == 404


def test_staff_land_on_their_queue_and_citizens_are_kept_out_of_admin(app, client):
    from tests.factories import UnitFactory, create_user
    from tests.helpers import web_login

    with app.app_context():
        unit = UnitFactory()
        create_user("officer_x", "Officer", [unit])
        create_user("citizen_x", "Citizen")
        create_user("admin_x", "Admin")
    web_login(client, "officer_x")
    assert client.get("/admin/").headers["Location"].endswith("/backoffice/")
    assert client.get("/my/dossiers").headers["Location"].endswith("/backoffice/")
    queue = client.get("/backoffice/").get_data(as_text=True)
    assert 'href="/backoffice/"' in queue and "/my/dossiers" not in queue
    logout(client)
    web_login(client, "citizen_x")
    assert client.get("/admin/").status_code == 403
    logout(client)
    web_login(client, "admin_x")
    assert client.get("/my/dossiers").headers["Location"].endswith("/admin/")  # the README's /admin/
    page = client.get("/admin/")
    assert page.status_code == 200 and 'href="/backoffice/"' in page.get_data(as_text=True)
    assert 'href="/admin/procedure-editor/new"' in page.get_data(as_text=True)  # docs/admin.md, step 2


@pytest.mark.parametrize("path", ["/", "/public/dossiers", "/public/stats", "/api/v1/lookup?code=X-1&phone4=1234",
                                  "/api/v1/public/dossiers", "/account/login"])
def test_a_visitor_who_chose_nothing_gets_no_session_cookie(client, commune, path):
    """The language is the default until the visitor picks one: nothing to remember, no cookie
    (FAB's locale selector wrote `locale` into every visitor's session)."""
    answer = client.get(path)
    assert answer.status_code < 500
    cookies = answer.headers.getlist("Set-Cookie")
    assert not any(c.startswith("session=") for c in cookies) or path == "/account/login", cookies


def test_a_chosen_language_is_remembered_without_the_query(client, commune):
    client.get("/language/en", headers={"Referer": "http://localhost/"})
    assert '<html lang="en">' in client.get("/public/dossiers").get_data(as_text=True)
    assert '<html lang="vi">' in client.get("/public/dossiers?_l_=vi").get_data(as_text=True)
