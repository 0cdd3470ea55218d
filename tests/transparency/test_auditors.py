"""Auditors read every dossier with its full history and form data, export CSV, and change
nothing anywhere; every view or export of personal data is logged and administrators see it."""
from __future__ import annotations

import hashlib
import re

from sqlalchemy import select, text

from app.core.access import PersonalDataAccess
from app.dossiers.operations import perform_action
from app.extensions import db
from tests.backoffice.util import get, new_dossier, user
from tests.helpers import auth, web_login

SKIP_ENDPOINTS = {"accounts.logout", "AuthDBView.logout", "static"}
# The access log records the auditor's reading; a captcha drawn for anyone is no one's data.
EXCLUDED_TABLES = {"personal_data_access", "captcha_challenges"}


def a_dossier(app, world) -> str:
    with app.app_context():
        dossier = new_dossier(world, data={"full_name": "Lê Thị Kiểm Toán"})
        officer = user("officer")
        perform_action(officer, dossier, "receive")
        perform_action(officer, dossier, "note", note="ghi chú nội bộ của cán bộ")
        db.session.commit()
        return dossier.code


def accesses(app) -> list[tuple[str, str, str, str]]:
    with app.app_context():
        return [(r.username, r.kind, r.dossier_code, r.reason) for r in
                db.session.scalars(select(PersonalDataAccess).order_by(PersonalDataAccess.id))]


def test_the_auditor_reviews_the_full_history_and_the_admin_sees_that_they_looked(app, client, world):
    code = a_dossier(app, world)
    web_login(client, "auditor")
    listing = client.get("/audit/dossiers")
    assert listing.status_code == 200 and code in listing.get_data(as_text=True)
    assert accesses(app) == []  # the list shows no personal data
    page = client.get(f"/audit/dossiers/{code}", query_string={"reason": "Thanh tra định kỳ"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Lê Thị Kiểm Toán" in body and "0912345678" in body  # form data and contact
    assert "ghi chú nội bộ của cán bộ" in body  # internal history too
    assert "The history chain of this dossier is intact" in body or "nguyên vẹn" in body
    assert accesses(app) == [("auditor", "view", code, "Thanh tra định kỳ")]
    export = client.get("/audit/dossiers.csv", query_string={"reason": "Báo cáo"})
    assert export.status_code == 200 and "Lê Thị Kiểm Toán" in export.get_data(as_text=True)
    assert accesses(app)[-1][:2] == ("auditor", "export")
    assert client.get("/audit/access-log").status_code == 403  # only administrators
    client.get("/logout/")
    admin = app.test_client()
    web_login(admin, "admin")
    log = admin.get("/audit/access-log").get_data(as_text=True)
    assert "auditor" in log and code in log and "Thanh tra định kỳ" in log and "Báo cáo" in log


def test_officers_views_downloads_and_api_reads_are_logged(app, client, world):
    code = a_dossier(app, world)
    web_login(client, "officer")
    assert client.get(f"/backoffice/dossiers/{code}").status_code == 200
    api = app.test_client()
    assert api.get(f"/api/v1/dossiers/{code}", headers=auth(api, "officer")).status_code == 200
    assert [a[:3] for a in accesses(app)] == [("officer", "view", code), ("officer", "api", code)]
    # The citizen reading their own dossier is not an access to someone else's data.
    own = app.test_client()
    assert own.get(f"/api/v1/dossiers/{code}", headers=auth(own, "citizen")).status_code == 200
    assert len(accesses(app)) == 2


def test_audit_pages_are_for_auditors_and_administrators(app, client, world):
    code = a_dossier(app, world)
    assert client.get("/audit/dossiers").status_code in (302, 303)
    web_login(client, "citizen")
    assert client.get("/audit/dossiers").status_code == 403
    assert client.get(f"/audit/dossiers/{code}").status_code == 403
    officer = app.test_client()
    web_login(officer, "officer")
    assert officer.get("/audit/dossiers.csv").status_code == 403


def fingerprint(app) -> dict[str, str]:
    """A hash of every row of every table (users without their login counters)."""
    with app.app_context():
        out = {}
        for table in db.metadata.sorted_tables:
            if table.name in EXCLUDED_TABLES:
                continue
            columns = [c for c in table.columns
                       if not (table.name == "ab_user" and c.name in
                               ("last_login", "login_count", "fail_login_count", "changed_on"))]
            rows = db.session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
            out[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        db.session.remove()
        return out


def fill(rule, code: str, procedure: str) -> str:
    def value(match):
        name = match.group("name")
        if "code" in name and "procedure" in name:
            return procedure
        if name == "code":
            return code
        return "1" if match.group("conv") == "int" else "x"
    return re.sub(r"<(?:(?P<conv>[^:<>]+):)?(?P<name>[^<>]+)>", value, rule.rule)


def test_the_auditor_changes_nothing_anywhere(app, client, world):
    code = a_dossier(app, world)
    with app.app_context():
        version = get(code).version
        db.session.execute(text("SELECT 1"))
    web_login(client, "auditor")
    headers = auth(app.test_client(), "auditor")
    before = fingerprint(app)
    tried = 0
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & {"POST", "PUT", "DELETE", "PATCH"}
        if not methods or rule.endpoint in SKIP_ENDPOINTS or "login" in rule.rule:
            continue
        url = fill(rule, code, world.procedure_code)
        form = {"action": "receive", "note": "kiểm toán", "version": str(version), "score": "5",
                "name": "x", "code": "x", "full_name": "x", "amount": "1000"}
        for method in methods:
            if url.startswith("/api/"):
                answer = client.open(url, method=method, headers=headers,
                                     json={"action": "process", "note": "x", "data": {}})
            else:
                answer = client.open(url, method=method, data=form)
            # (FAB's own /action/<name> routes answer 500 for unknown names: nothing changes.)
            assert answer.status_code != 200 or method == "POST", (method, url)
            tried += 1
    assert tried > 40
    assert fingerprint(app) == before
    # And the gate itself refuses the auditor every action.
    with app.app_context():
        from app.dossiers.errors import DossierError

        for action in ("process", "note", "request_supplement", "stop"):
            try:
                perform_action(user("auditor"), get(code), action, note="x")
            except DossierError as exc:
                assert exc.status in (403, 404)
            else:
                raise AssertionError(f"the auditor took {action}")
    # The fingerprint does see a change: the same request from the unit's officer.
    officer = app.test_client()
    web_login(officer, "officer")
    assert officer.post(f"/backoffice/dossiers/{code}/actions",
                        data={"action": "process", "version": str(version)}).status_code in (302, 303)
    assert fingerprint(app) != before


def test_the_admin_dossier_view_is_logged(app, client, world):
    code = a_dossier(app, world)
    with app.app_context():
        pk = get(code).id
    web_login(client, "admin")
    page = client.get(f"/dossiermodelview/show/{pk}")
    assert page.status_code == 200 and "0912345678" in page.get_data(as_text=True)
    assert accesses(app) == [("admin", "view", code, "")]
