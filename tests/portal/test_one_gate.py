"""Issue 9's defects, each through every door that had it: the rules now live behind one gate."""
from __future__ import annotations

import ast
import pathlib
import re

import pytest
from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.factories import create_dossier, create_user
from tests.helpers import auth, logout, web_login
from tests.portal.data import birth_data, pdf_bytes, upload
from tests.portal.smtp import smtp_server

APP = pathlib.Path(__file__).resolve().parents[2] / "app"
CONTACT = {"phone": "0912345678", "email": "an@example.test"}


def _create(client, headers, birth, **extra):
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "contact": CONTACT,
            "delivery": {"method": "office"}, **extra}
    return client.post("/api/v1/dossiers", json=body, headers=headers)


def _paths(response) -> set[str]:
    return {e["path"] for e in response.get_json()["errors"]}


def test_submit_through_actions_runs_the_same_checks_as_submit(client, birth):
    headers = auth(client, "citizen")
    code = client.post("/api/v1/dossiers", headers=headers, json={
        "procedure": birth["procedure"], "unit": birth["unit"]}).get_json()["code"]
    via_action = client.post(f"/api/v1/dossiers/{code}/actions", headers=headers,
                             json={"action": "submit"})
    via_submit = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert via_action.status_code == via_submit.status_code == 422
    assert _paths(via_action) == _paths(via_submit)
    assert {"/contact/phone", "/contact/email", "/data/requester"} <= _paths(via_action)
    assert client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["status"] == "draft"


def test_create_refuses_what_update_refuses_and_stores_nothing(client, birth):
    headers = auth(client, "citizen")
    response = _create(client, headers, birth, contact={"phone": "abc", "email": "not-an-email"},
                       delivery={"method": "teleport"})
    assert response.status_code == 422
    assert _paths(response) == {"/contact/phone", "/contact/email", "/delivery/method"}
    assert client.get("/api/v1/dossiers", headers=headers).get_json()["result"] == []


@pytest.mark.parametrize("role", ["Auditor", "Officer", "Admin"])
def test_staff_cannot_file_online_through_any_door(app, client, birth, role):
    with app.app_context():
        unit = db.session.scalar(select(Dossier.unit.property.mapper.class_).where(
            Dossier.unit.property.mapper.class_.code == birth["unit"]))
        create_user("staff", role, units=[unit] if role == "Officer" else [])
    assert _create(client, auth(client, "staff"), birth).status_code == 403
    web_login(client, "staff")
    page = client.get(f"/file/{birth['procedure']}?unit={birth['unit']}")
    assert page.status_code == 403
    posted = client.post(f"/file/{birth['procedure']}", data={"unit": birth["unit"], "agree": "y",
                                                            "token": "t1"})
    assert posted.status_code == 403
    with app.app_context():
        assert db.session.query(Dossier).count() == 0


def test_an_officer_never_processes_a_dossier_he_applied_for(app, client, birth):
    with app.app_context():
        officer = app.appbuilder.sm.find_user(username="officer")
        unit = db.session.scalar(select(Dossier.unit.property.mapper.class_).where(
            Dossier.unit.property.mapper.class_.code == birth["unit"]))
        code = create_dossier(officer, unit, status="submitted").code
    response = client.post(f"/api/v1/dossiers/{code}/actions", headers=auth(client, "officer"),
                           json={"action": "receive"})
    assert response.status_code == 403
    web_login(client, "officer")
    assert client.post(f"/backoffice/dossiers/{code}/actions",
                       data={"action": "receive"}).status_code == 403
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert 'value="receive"' not in page


def test_drafts_are_their_owners_alone(app, client, birth):
    with app.app_context():
        create_user("auditor", "Auditor")
        create_user("admin", "Admin")
    code = _create(client, auth(client, "citizen"), birth).get_json()["code"]
    with app.app_context():
        draft_id = db.session.scalar(select(Dossier.id).where(Dossier.code == code))
    for name in ("officer", "auditor", "admin", "citizen2"):
        headers = auth(client, name)
        listed = client.get("/api/v1/dossiers?status=draft", headers=headers).get_json()["result"]
        assert listed == [], name
        assert client.get(f"/api/v1/dossiers/{code}", headers=headers).status_code == 404, name
    for name in ("officer", "auditor", "admin"):
        web_login(client, name)
        assert client.get(f"/backoffice/dossiers/{code}").status_code == 404, name
        assert client.get(f"/dossiermodelview/show/{draft_id}").status_code in (302, 404), name
        logout(client)
    mine = client.get("/api/v1/dossiers?status=draft", headers=auth(client, "citizen")).get_json()
    assert [d["code"] for d in mine["result"]] == [code]


def _status_assignments() -> list[str]:
    """Places under app/ that assign a dossier's status (`x.status = …`)."""
    found = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    found.append(f"{path.relative_to(APP)}:{node.lineno}")
    return found


def test_no_status_is_assigned_anywhere_but_the_gate():
    places = [p for p in _status_assignments()
              if not p.startswith("dossiers/errors.py")]  # an error's HTTP status, not a dossier's
    assert len(places) == 1 and places[0].startswith("dossiers/operations.py"), places


def test_the_dossier_domain_never_commits_its_callers_transaction():
    offenders = [f"{p.relative_to(APP)}:{i}" for p in (APP / "dossiers").rglob("*.py")
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\.commit\(\)", line)]
    assert offenders == []


def test_every_officer_action_reaches_the_citizen_after_its_commit(app, client, birth):
    headers = auth(client, "citizen")
    code = _create(client, headers, birth, data=birth_data()).get_json()["code"]
    client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                data={"document_key": "giay_chung_sinh", "file": upload(pdf_bytes(), "a.pdf")},
                content_type="multipart/form-data")
    app.config["OUTBOX_DELIVER_INLINE"] = True
    try:
        with smtp_server(app) as inbox:
            assert client.post(f"/api/v1/dossiers/{code}/submit", headers=headers).status_code == 200
            web_login(client, "officer")
            for action in ("receive", "process"):
                with app.app_context():
                    version = db.session.scalar(select(Dossier.version).where(Dossier.code == code))
                response = client.post(f"/backoffice/dossiers/{code}/actions",
                                       data={"action": action, "version": str(version)})
                assert response.status_code == 302, action
            subjects = [m["Subject"] for m in inbox.messages]
    finally:
        app.config.pop("OUTBOX_DELIVER_INLINE")  # as it was: later tests see the default
    assert any("đã được tiếp nhận" in s or code in s for s in subjects[1:]), subjects
    assert len(subjects) == 2  # submitted, received ("process" notifies nobody)
    with app.app_context():
        states = {m.state for m in db.session.query(OutboxMessage).filter_by(channel="email")}
    assert states == {"sent"}


def test_a_refused_replacement_keeps_the_file_it_would_replace(app, client, birth):
    headers = auth(client, "citizen")
    code = _create(client, headers, birth).get_json()["code"]
    first = client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                        data={"document_key": "giay_chung_sinh", "file": upload(pdf_bytes(), "a.pdf")},
                        content_type="multipart/form-data").get_json()
    web_login(client, "citizen")
    response = client.post(f"/my/dossiers/{code}/documents", content_type="multipart/form-data",
                           data={f"replace-{first['id']}": upload(b"MZ not a pdf", "b.pdf")})
    assert response.status_code == 200
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert [a["id"] for a in detail["attachments"]] == [first["id"]]
