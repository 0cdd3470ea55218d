"""A database outage answers 503 with Retry-After; a commit that happened is never a failure."""
from __future__ import annotations

import os
import tempfile

import pytest
from sqlalchemy import select

from app import create_app
from app.dossiers.models import Attachment, Dossier
from app.extensions import db
from tests.faults.pgproxy import database_url_from_env, kill_other_connections
from tests.helpers import auth
from tests.portal.data import birth_data, pdf_bytes, upload

CONTACT = {"phone": "0912345678", "email": "an@example.test"}


def create_body(birth, **data) -> dict:
    return {"procedure": birth["procedure"], "unit": birth["unit"], "data": {**birth_data(), **data},
            "contact": CONTACT, "delivery": {"method": "office"}}


def dossier_codes(app) -> list[str]:
    with app.app_context():
        codes = list(db.session.scalars(select(Dossier.code).order_by(Dossier.id)))
        db.session.remove()
        return codes


def assert_unavailable(response, *, json: bool) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert int(response.headers["Retry-After"]) > 0
    if json:
        assert response.is_json and response.get_json()["message"]
    else:
        page = response.get_data(as_text=True)
        assert response.mimetype == "text/html" and "Traceback" not in page
        assert "tạm thời" in page  # Vietnamese by default: "Dịch vụ tạm thời gián đoạn"


@pytest.fixture(scope="module")
def unreachable_app():
    """The app with its database gone (a path that cannot be opened: any dialect's outage)."""
    missing = os.path.join(tempfile.mkdtemp(prefix="motcua-gone-"), "no-such-dir", "x.db")
    return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")


def test_without_a_database_the_api_answers_503_json_and_pages_a_localized_503(unreachable_app):
    client = unreachable_app.test_client()
    assert_unavailable(client.get("/api/v1/procedures/"), json=True)
    assert_unavailable(client.post("/api/v1/security/login", json={
        "username": "citizen", "password": "x", "provider": "db"}), json=True)  # FAB's own API too
    assert_unavailable(client.get("/"), json=False)
    # FAB's own pages too (its login form posts to /login/)
    assert_unavailable(client.post("/login/", data={"username": "citizen", "password": "x"}), json=False)


@pytest.mark.postgres
def test_the_api_and_pages_answer_503_while_postgresql_is_down(app, birth, proxied):
    proxied_app, proxy = proxied
    client = proxied_app.test_client()
    headers = auth(client, "citizen")
    proxy.down()
    assert_unavailable(client.post("/api/v1/dossiers/", json=create_body(birth), headers=headers),
                       json=True)
    assert_unavailable(client.get("/api/v1/dossiers/", headers=headers), json=True)
    assert_unavailable(client.get("/"), json=False)
    proxy.up()
    response = client.post("/api/v1/dossiers/", json=create_body(birth), headers=headers)
    assert response.status_code == 201  # back at once: the pool reconnects by itself
    assert dossier_codes(app) == [response.get_json()["code"]]


@pytest.mark.postgres
def test_killed_connections_are_replaced_before_use_pool_pre_ping(app, client, birth, postgres_only):
    headers = auth(client, "citizen")
    assert client.get("/api/v1/dossiers/", headers=headers).status_code == 200
    assert kill_other_connections(database_url_from_env()) >= 1  # the pool's idle connection too
    assert client.get("/api/v1/dossiers/", headers=headers).status_code == 200
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


@pytest.mark.postgres
def test_a_create_whose_commit_answer_is_lost_is_answered_as_created(app, birth, proxied):
    proxied_app, proxy = proxied
    client = proxied_app.test_client()
    headers = {**auth(client, "citizen"), "Idempotency-Key": "mat-ket-noi-1"}
    proxy.mode = "lose_answer"  # the COMMIT reaches PostgreSQL, its answer never comes back
    response = client.post("/api/v1/dossiers/", json=create_body(birth), headers=headers)
    assert proxy.commits_cut >= 1 and proxy.mode is None
    assert response.status_code == 201, response.get_data(as_text=True)
    code = response.get_json()["code"]
    assert dossier_codes(app) == [code]
    again = client.post("/api/v1/dossiers/", json=create_body(birth), headers=headers)
    assert (again.status_code, again.get_json()["code"]) == (200, code)


@pytest.mark.postgres
def test_a_create_whose_commit_is_lost_answers_503_and_the_retry_creates_it_once(app, birth, proxied):
    proxied_app, proxy = proxied
    client = proxied_app.test_client()
    headers = {**auth(client, "citizen"), "Idempotency-Key": "mat-ket-noi-2"}
    proxy.mode = "lose_commit"  # the connection drops before PostgreSQL sees the COMMIT
    response = client.post("/api/v1/dossiers/", json=create_body(birth), headers=headers)
    assert_unavailable(response, json=True)
    assert dossier_codes(app) == []  # 503 means nothing was saved
    retry = client.post("/api/v1/dossiers/", json=create_body(birth), headers=headers)
    assert retry.status_code == 201
    assert dossier_codes(app) == [retry.get_json()["code"]]


@pytest.mark.postgres
def test_an_upload_whose_commit_answer_is_lost_keeps_its_file(app, birth, proxied):
    proxied_app, proxy = proxied
    client = proxied_app.test_client()
    headers = auth(client, "citizen")
    code = client.post("/api/v1/dossiers/", json=create_body(birth), headers=headers).get_json()["code"]
    proxy.mode = "lose_answer"
    response = client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                           data={"document_key": "giay_chung_sinh", "file": upload(pdf_bytes(), "gcs.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_data(as_text=True)
    with app.app_context():
        key = db.session.scalar(select(Attachment.storage_key))
    assert os.path.isfile(os.path.join(app.config["UPLOAD_DIR"], key))  # not removed as if rolled back
    download = client.get(f"/api/v1/dossiers/{code}/attachments/{response.get_json()['id']}",
                          headers=headers)
    assert download.status_code == 200 and download.data == pdf_bytes()
