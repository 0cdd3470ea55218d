"""A retried counter create (POST /api/v1/counter/dossiers with an Idempotency-Key) answers the
dossier created the first time; the same key with another body is refused; the page's form opens
one dossier however often it is sent."""
from __future__ import annotations

from sqlalchemy import func, select

from app.dossiers.models import Dossier
from app.extensions import db
from tests.counter.test_counter_api import WALK_IN, attach, counter_draft
from tests.helpers import auth, web_login


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Dossier))


def test_a_retried_counter_create_answers_the_first_dossier(client, world, app):
    officer = {**auth(client, "officer"), "Idempotency-Key": "quay-1-0001"}
    first = counter_draft(client, world, officer)
    assert first.status_code == 201, first.get_json()
    code = first.get_json()["code"]
    again = counter_draft(client, world, officer)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    # The same request spelt differently (spaces, phone format) is the same request.
    spelt = counter_draft(client, world, officer, applicant={
        **WALK_IN, "name": " Trần  Thị Bình ", "phone": "+84 987 654 321"})
    assert spelt.status_code == 200 and spelt.get_json()["code"] == code
    assert _count(app) == 1
    # Still the first dossier once it moved on.
    assert attach(client, code, officer).status_code == 201
    assert client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"},
                       headers=officer).status_code == 200
    late = counter_draft(client, world, officer)
    assert late.status_code == 200 and late.get_json() == {
        "code": code, "status": "received", "channel": "counter"}
    assert _count(app) == 1


def test_the_same_key_with_another_body_is_refused(client, world, app):
    officer = {**auth(client, "officer"), "Idempotency-Key": "quay-1-0002"}
    code = counter_draft(client, world, officer).get_json()["code"]
    other = counter_draft(client, world, officer, applicant={**WALK_IN, "name": "Lê Văn Cường"})
    assert other.status_code == 422 and code in other.get_json()["message"]
    assert _count(app) == 1
    # The key is the officer's own: a colleague's request with the same key is another one.
    colleague = {**auth(client, "colleague"), "Idempotency-Key": "quay-1-0002"}
    assert counter_draft(client, world, colleague).status_code == 201
    # Without a key every request opens a dossier, as before.
    plain = auth(client, "officer")
    assert counter_draft(client, world, plain).status_code == 201
    assert counter_draft(client, world, plain).status_code == 201
    assert _count(app) == 4
    too_long = {**plain, "Idempotency-Key": "k" * 101}
    assert counter_draft(client, world, too_long).status_code == 422


def test_the_key_is_published_in_openapi(client):
    spec = client.get("/api/v1/_openapi").get_json()
    post = spec["paths"]["/api/v1/counter/dossiers"]["post"]
    assert any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in post["parameters"])
    assert "200" in post["responses"] and "422" in post["responses"]


def test_the_counter_form_sent_twice_opens_one_dossier(client, world, app):
    web_login(client, "officer")
    page = client.get("/backoffice/counter").get_data(as_text=True)
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    form = {"unit": world.unit_code, "procedure": world.procedure_code, "name": "Lê Văn Cường",
            "id_number": "001190012345", "phone": "0987654321", "method": "office",
            "token": token}
    first = client.post("/backoffice/counter", data=form)
    second = client.post("/backoffice/counter", data=form)  # a double click
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(app) == 1
    changed = client.post("/backoffice/counter", data={**form, "name": "Lê Thị Dung"})
    assert changed.status_code == 422
    text = changed.get_data(as_text=True)
    assert "Biểu mẫu này đã mở một hồ sơ" in text and "Lê Thị Dung" in text  # nothing typed lost
    fresh = text.split('name="token" value="', 1)[1].split('"', 1)[0]
    assert fresh != token
    assert client.post("/backoffice/counter", data={**form, "name": "Lê Thị Dung",
                                                    "token": fresh}).status_code == 302
    assert _count(app) == 2
