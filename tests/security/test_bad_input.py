"""Bad input answers 4xx with the JSON error shape (or the error page), never 500."""
from __future__ import annotations

import pytest

from tests.factories import create_user
from tests.helpers import auth, web_login

BIG = "99999999999999999999999"


@pytest.fixture
def citizen_headers(app, client):
    with app.app_context():
        create_user("citizen", "Citizen")
    return auth(client, "citizen")


@pytest.mark.parametrize("query", [
    "/api/v1/procedures?page=abc", "/api/v1/procedures?page=null", "/api/v1/procedures?page_size=abc",
    f"/api/v1/procedures?page={BIG}", f"/api/v1/procedures?level={BIG}", f"/api/v1/units?page={BIG}",
    f"/api/v1/dossiers?page={BIG}", f"/api/v1/public/dossiers?page={BIG}",
    f"/api/v1/public/documents/{BIG}", f"/api/v1/dossiers/x/attachments/{BIG}/download",
])
def test_garbage_and_huge_numbers_answer_4xx_json(client, citizen_headers, query):
    response = client.get(query, headers=citizen_headers)
    assert 400 <= response.status_code < 500, (query, response.status_code)
    assert response.is_json and response.get_json()["message"]


@pytest.mark.parametrize("body", [
    "[" * 5000 + "]" * 5000,
    '{"procedure": "\\ud800", "unit": "x"}',
    '{"procedure": NaN}', '{"data": {"x": Infinity}}', '{"data": {"x": -Infinity}}',
    '{"data": {"x": 1e400}}',
])
def test_json_that_is_not_json_answers_400(client, citizen_headers, body):
    response = client.post("/api/v1/dossiers", data=body,
                           headers={**citizen_headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.is_json and set(response.get_json()) == {"message"}


def test_the_api_login_refuses_deep_json_with_400(client):
    response = client.post("/api/v1/security/login", data="[" * 5000 + "]" * 5000,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.get_json()["message"]


def test_405_carries_allow(client):
    response = client.put("/api/v1/lookup/")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.get_json()["message"]
    page = client.put("/account/login")
    assert page.status_code == 405 and "POST" in page.headers["Allow"]


def test_a_crlf_next_is_ignored_when_logged_in(app, client, citizen_headers):
    web_login(client, "citizen")
    response = client.get("/account/login?next=/%0D%0AX-Injected:+1")
    assert response.status_code == 400 and "X-Injected" not in response.headers


@pytest.fixture
def admin_client(app, client):
    with app.app_context():
        create_user("admin", "Admin")
    web_login(client, "admin")
    return client


@pytest.mark.parametrize("query", [
    "/dossiermodelview/list/?_oc_DossierModelView=password&_od_DossierModelView=asc",
    "/dossiermodelview/list/?page_DossierModelView=abc",
    f"/dossiermodelview/list/?page_DossierModelView={BIG}",
    f"/dossiermodelview/list/?psize_DossierModelView={BIG}",
    f"/dossiermodelview/show/{BIG}",
    "/dossiermodelview/download/dossiers.csv",
    "/users/download/users.csv",
])
def test_back_office_lists_refuse_bad_arguments_without_500(admin_client, query):
    response = admin_client.get(query)
    assert 400 <= response.status_code < 500, (query, response.status_code)


def test_back_office_lists_still_sort_by_their_columns(admin_client):
    response = admin_client.get("/dossiermodelview/list/?_oc_DossierModelView=code&_od_DossierModelView=asc")
    assert response.status_code == 200


def test_a_crlf_next_on_the_back_office_login_is_ignored(app, client, citizen_headers):
    web_login(client, "citizen")
    response = client.get("/login/?next=/%0D%0AX-Injected:+1")
    assert response.status_code == 400 and "X-Injected" not in response.headers


def test_safe_next_refuses_control_characters_and_backslashes():
    from app.accounts.views import safe_next

    assert safe_next("/my/dossiers") == "/my/dossiers"
    assert safe_next("/\r\nX: 1") is None and safe_next("/\\evil.example") is None
