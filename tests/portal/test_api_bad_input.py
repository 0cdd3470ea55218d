"""Bad input to the dossier API: always a clear JSON error, never a 500, nothing stored lost."""
from __future__ import annotations

import json

from tests.helpers import auth


def create(client, headers, birth, **extra):
    body = {"procedure": birth["procedure"], "unit": birth["unit"],
            "contact": {"phone": "0912345678", "email": "a@example.test"}, **extra}
    response = client.post("/api/v1/dossiers", headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def test_malformed_json_body_answers_400_with_a_message(client, birth):
    headers = {**auth(client, "citizen"), "Content-Type": "application/json"}
    response = client.post("/api/v1/dossiers", headers=headers, data='{"procedure": ')
    assert response.status_code == 400
    assert response.is_json and response.get_json()["message"]


def test_ten_megabyte_json_payload_answers_413(client, birth):
    headers = {**auth(client, "citizen"), "Content-Type": "application/json"}
    payload = json.dumps({"procedure": birth["procedure"], "unit": birth["unit"],
                          "data": {"junk": "x" * (10 * 1024 * 1024)}})
    response = client.post("/api/v1/dossiers", headers=headers, data=payload)
    assert response.status_code == 413
    assert response.is_json and response.get_json()["message"]


def submit_errors(client, headers, birth, data) -> tuple[str, list[dict]]:
    code = create(client, headers, birth)
    put = client.put(f"/api/v1/dossiers/{code}", headers=headers, json={"data": data})
    assert put.status_code == 200, put.get_data(as_text=True)[:300]
    submit = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert submit.status_code == 422
    errors = submit.get_json()["errors"]
    assert all({"path", "message"} <= set(e) for e in errors)
    return code, errors


def test_wrong_types_and_extra_properties_give_errors_at_their_paths(client, birth):
    headers = auth(client, "citizen")
    code, errors = submit_errors(client, headers, birth, {
        "child": {"full_name": 12345, "gender": ["nam"]}, "not_a_field": "x"})
    by_path = {e["path"]: e["message"] for e in errors}
    assert "/data/child/full_name" in by_path
    assert "/data/child/gender" in by_path
    assert any("not_a_field" in path or "not_a_field" in msg for path, msg in by_path.items())
    # What was stored is still there, still a draft.
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert detail["status"] == "draft" and detail["data"]["child"]["full_name"] == 12345


def test_deeply_nested_junk_is_refused_with_a_message_not_a_crash(client, birth):
    nested: dict = {}
    cursor = nested
    for _ in range(300):
        cursor["x"] = {}
        cursor = cursor["x"]
    headers = auth(client, "citizen")
    code = create(client, headers, birth)
    response = client.put(f"/api/v1/dossiers/{code}", headers=headers, json={"data": {"junk": nested}})
    assert response.status_code == 422
    assert any("sâu" in e["message"] for e in response.get_json()["errors"])
    assert client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["data"] == {}


def test_non_object_body_and_missing_fields_answer_422_with_paths(client, birth):
    headers = auth(client, "citizen")
    response = client.post("/api/v1/dossiers", headers=headers, json={"data": "text"})
    assert response.status_code == 422
    paths = {e["path"] for e in response.get_json()["errors"]}
    assert {"/procedure", "/unit", "/data"} <= paths
    assert client.post("/api/v1/dossiers", headers=headers, json=[1, 2]).status_code == 400
