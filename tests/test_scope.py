"""Row-level scope: officers see their units only, citizens their own dossiers."""
from __future__ import annotations

import pytest

from tests.factories import UnitFactory, create_dossier, create_user
from tests.helpers import auth, web_login


@pytest.fixture
def two_units(app):
    """Unit A with officer_a and citizen_a's dossier; unit B with citizen_b's dossier."""
    with app.app_context():
        unit_a, unit_b = UnitFactory(), UnitFactory()
        create_user("officer_a", "Officer", [unit_a])
        citizen_a = create_user("citizen_a", "Citizen")
        citizen_b = create_user("citizen_b", "Citizen")
        create_user("auditor1", "Auditor")
        dossier_a = create_dossier(citizen_a, unit_a)
        dossier_b = create_dossier(citizen_b, unit_b)
        return {"a": (dossier_a.code, dossier_a.id), "b": (dossier_b.code, dossier_b.id)}


def test_officer_lists_only_own_unit_dossiers_in_api(client, two_units):
    response = client.get("/api/v1/dossiers", headers=auth(client, "officer_a"))
    assert response.status_code == 200
    codes = [d["code"] for d in response.get_json()["result"]]
    assert codes == [two_units["a"][0]]


def test_officer_cannot_show_or_act_on_other_unit_dossier_in_api(client, two_units):
    headers = auth(client, "officer_a")
    code_b = two_units["b"][0]
    assert client.get(f"/api/v1/dossiers/{code_b}", headers=headers).status_code == 404
    response = client.post(f"/api/v1/dossiers/{code_b}/actions", headers=headers,
                           json={"action": "receive"})
    assert response.status_code == 404
    assert response.get_json()["message"]
    # ...while the same action on the own unit's dossier works.
    code_a = two_units["a"][0]
    response = client.post(f"/api/v1/dossiers/{code_a}/actions", headers=headers,
                           json={"action": "receive"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "received"


def test_officer_cannot_list_show_or_edit_other_unit_dossier_in_views(client, two_units):
    web_login(client, "officer_a")
    listing = client.get("/dossiermodelview/list/").get_data(as_text=True)
    assert two_units["a"][0] in listing
    assert two_units["b"][0] not in listing
    id_b = two_units["b"][1]
    assert client.get(f"/dossiermodelview/show/{id_b}").status_code == 404
    assert client.get(f"/dossiermodelview/edit/{id_b}").status_code == 404
    assert client.post(f"/dossiermodelview/edit/{id_b}", data={}).status_code == 404
    assert client.get(f"/dossiermodelview/show/{two_units['a'][1]}").status_code == 200


def test_citizen_cannot_see_another_citizens_dossier(client, two_units):
    headers = auth(client, "citizen_a")
    assert client.get(f"/api/v1/dossiers/{two_units['b'][0]}", headers=headers).status_code == 404
    own = client.get(f"/api/v1/dossiers/{two_units['a'][0]}", headers=headers)
    assert own.status_code == 200
    assert own.get_json()["data"] == {"full_name": "Nguyễn Văn A"}
    listed = client.get("/api/v1/dossiers", headers=headers).get_json()["result"]
    assert [d["code"] for d in listed] == [two_units["a"][0]]


def test_citizen_cannot_act_as_officer_on_own_dossier(client, two_units):
    response = client.post(f"/api/v1/dossiers/{two_units['a'][0]}/actions",
                           headers=auth(client, "citizen_a"), json={"action": "receive"})
    assert response.status_code == 403


def test_auditor_reads_everything_and_changes_nothing(client, two_units):
    headers = auth(client, "auditor1")
    listed = client.get("/api/v1/dossiers", headers=headers).get_json()["result"]
    assert {d["code"] for d in listed} == {two_units["a"][0], two_units["b"][0]}
    response = client.post(f"/api/v1/dossiers/{two_units['a'][0]}/actions", headers=headers,
                           json={"action": "receive"})
    assert response.status_code == 403
    response = client.post("/api/v1/dossiers", headers=headers,
                           json={"procedure": "x", "unit": "y"})
    assert response.status_code == 403
    web_login(client, "auditor1")
    id_a = two_units["a"][1]
    assert client.get(f"/dossiermodelview/show/{id_a}").status_code == 200
    edit = client.post(f"/dossiermodelview/edit/{id_a}", data={})
    assert edit.status_code in (302, 403)
    assert "/login" in edit.headers.get("Location", "/login") or edit.status_code == 403
    assert client.get("/unitmodelview/add").status_code in (302, 403)
    # Nothing changed: the dossier is still submitted.
    detail = client.get(f"/api/v1/dossiers/{two_units['a'][0]}", headers=headers).get_json()
    assert detail["status"] == "submitted"


def test_anonymous_gets_401_from_dossier_api(client, two_units):
    assert client.get("/api/v1/dossiers").status_code == 401
