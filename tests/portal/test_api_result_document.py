"""The API approves a procedure whose result is a certificate only with the officer's signed
result document, sent with the action as multipart/form-data (the back office's form does the
same); a JSON approval is refused with the reason, a file that is not a PDF is refused."""
from __future__ import annotations

import io

from sqlalchemy import select

from app.dossiers.models import Dossier, ResultDocument
from app.extensions import db
from tests.helpers import auth, result_pdf
from tests.portal.data import pdf_bytes
from tests.portal.test_outbox import submitted_dossier


def processing(client, birth) -> tuple[str, dict]:
    code = submitted_dossier(client, birth)
    officer = auth(client, "officer")
    for action in ("receive", "process"):
        response = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                               json={"action": action})
        assert response.status_code == 200, response.get_json()
    return code, officer


def approve(client, code, officer, **fields):
    return client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                       content_type="multipart/form-data", data={"action": "approve", **fields})


def test_a_json_approval_of_a_certificate_is_refused_with_the_reason(app, client, birth):
    code, officer = processing(client, birth)
    response = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                           json={"action": "approve"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert [e["path"] for e in errors] == ["/result_file"]
    assert "PDF" in errors[0]["message"]
    with app.app_context():
        assert db.session.scalar(select(Dossier.status).filter_by(code=code)) == "processing"


def test_the_officer_attaches_the_signed_certificate_with_the_approval(app, client, birth):
    code, officer = processing(client, birth)
    version = client.get(f"/api/v1/dossiers/{code}", headers=officer).get_json()["version"]
    response = approve(client, code, officer, version=str(version), note="Đã ký",
                       result_file=(io.BytesIO(result_pdf("GIAY KHAI SINH")), "giay-khai-sinh.pdf"))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "result_ready"
    with app.app_context():
        dossier = db.session.scalars(select(Dossier).filter_by(code=code)).one()
        document = db.session.scalars(select(ResultDocument).filter_by(dossier_id=dossier.id)).one()
        assert document.generated is False
        assert document.filename == "giay-khai-sinh.pdf"


def test_a_stale_version_or_a_file_that_is_not_a_pdf_changes_nothing(app, client, birth):
    code, officer = processing(client, birth)
    stale = approve(client, code, officer, version="1",
                    result_file=(io.BytesIO(result_pdf()), "kq.pdf"))
    assert stale.status_code == 409
    png = approve(client, code, officer, result_file=(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "kq.pdf"))
    assert png.status_code == 415
    assert png.get_json()["errors"][0]["path"] == "/result_file"
    bad = approve(client, code, officer, version="abc")
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["path"] == "/version"
    with app.app_context():
        dossier = db.session.scalars(select(Dossier).filter_by(code=code)).one()
        assert dossier.status == "processing"
        assert db.session.scalars(select(ResultDocument).filter_by(dossier_id=dossier.id)).all() == []
    # a PDF the unit's certificate cannot sign is refused with what to do, not a 500
    unsigned = approve(client, code, officer, result_file=(io.BytesIO(pdf_bytes()), "kq.pdf"))
    assert unsigned.status_code == 422
    assert unsigned.get_json()["errors"][0]["path"] == "/result_file"
    good = approve(client, code, officer, result_file=(io.BytesIO(result_pdf()), "kq.pdf"))
    assert good.status_code == 200, good.get_json()
