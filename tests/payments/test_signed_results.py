"""Electronic results are signed (PAdES) with a QR code to the public verification page, which
tells who issued what, when, without personal data, and whether a presented file is that one."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import select

from app.core.audit import AdminAuditRecord
from app.documents import testca
from app.documents.credentials import trust_roots
from app.documents.signing import verify_pdf
from app.dossiers.models import Dossier, DossierEvent, ResultDocument
from app.extensions import db
from tests.helpers import auth, logout, officer_post, result_pdf, web_login
from tests.payments.conftest import detail, paid_marital


def approve(client, code: str, data: bytes | None = None, username: str = "officer"):
    logout(client)
    web_login(client, username)
    for action in ("receive", "process"):
        assert officer_post(client, code, {"action": action}).status_code == 302
    form = {"action": "approve"}
    if data is not None:
        form["result_file"] = (io.BytesIO(data), "ket-qua.pdf")
    return officer_post(client, code, form, content_type="multipart/form-data")


def issued(app, code: str) -> ResultDocument:
    with app.app_context():
        document = db.session.scalar(select(ResultDocument).join(Dossier).where(Dossier.code == code))
        db.session.expunge(document)
        return document


def citizen_download(client, code: str, document_id: int) -> bytes:
    logout(client)
    web_login(client, "citizen")
    response = client.get(f"/my/dossiers/{code}/results/{document_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.get_data()


def test_the_result_is_signed_by_the_units_certificate_with_a_link_to_verification(app, client, level4):
    code, _headers = paid_marital(app, client, level4, method="online")
    assert approve(client, code, result_pdf()).status_code == 302
    document = issued(app, code)
    assert document.signed and document.signer == "Ủy ban nhân dân xã Lộc Tấn"
    data = citizen_download(client, code, document.id)
    with app.app_context():
        check = verify_pdf(data, trust_roots())
    assert check.valid and check.signer == "Ủy ban nhân dân xã Lộc Tấn"
    reader = PdfFileReader(io.BytesIO(data))
    last = reader.root["/Pages"]["/Kids"][-1].get_object()
    links = [a.get_object()["/A"]["/URI"] for a in last["/Annots"] if a.get_object()["/Subtype"] == "/Link"]
    assert links == [f"http://127.0.0.1:5000/public/verify/{document.public_id}"]
    assert len(reader.root["/Pages"]["/Kids"]) == 2  # the officer's page, then the verification page


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                    reason="needs poppler-utils and zbar-tools")
def test_the_qr_code_a_phone_scans_opens_the_verification_page(app, client, level4, tmp_path):
    code, _headers = paid_marital(app, client, level4, method="online")
    # A certificate's result is the officer's document; the stamp and its QR code get a page of their own.
    assert approve(client, code, result_pdf()).status_code == 302
    document = issued(app, code)
    (tmp_path / "result.pdf").write_bytes(citizen_download(client, code, document.id))
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(tmp_path / "result.pdf"), str(tmp_path / "page")],
                   check=True)
    scanned = subprocess.run(["zbarimg", "-q", "--raw", *map(str, sorted(tmp_path.glob("page*.png")))],
                             capture_output=True, text=True).stdout.split()
    assert f"http://127.0.0.1:5000/public/verify/{document.public_id}" in scanned


def test_the_public_api_and_page_say_who_issued_what_without_personal_data(app, client, level4):
    code, _headers = paid_marital(app, client, level4, method="online")
    approve(client, code, result_pdf())
    document = issued(app, code)
    logout(client)
    facts = client.get(f"/api/v1/public/documents/{document.public_id}").get_json()
    assert facts["kind"].startswith("Giấy xác nhận tình trạng hôn nhân")
    assert (facts["unit"], facts["dossier_code"], facts["signed"], facts["sha256"]) == \
        ("Xã Lộc Tấn", code, True, document.sha256)
    assert facts["issued_at"]
    page = client.get(f"/public/verify/{document.public_id}").get_data(as_text=True)
    for personal in ("Nguyễn Văn An", "075090001234", "0912345678", "an@example.com"):
        assert personal not in str(facts) and personal not in page
    assert code in page and "Xã Lộc Tấn" in page
    assert client.get("/api/v1/public/documents/nothing-like-this").status_code == 404
    assert client.get("/public/verify/nothing-like-this").status_code == 404


def test_the_issued_file_verifies_and_one_changed_byte_does_not(app, client, level4):
    code, _headers = paid_marital(app, client, level4, method="online")
    approve(client, code, result_pdf())
    document = issued(app, code)
    data = citizen_download(client, code, document.id)
    logout(client)
    url = f"/api/v1/public/documents/{document.public_id}/verify"
    good = client.post(url, data={"file": (io.BytesIO(data), "kq.pdf")}, content_type="multipart/form-data")
    assert good.get_json()["valid"] is True and good.get_json()["signature_valid"] is True
    altered = bytearray(data)
    middle = len(altered) // 3
    altered[middle] = (altered[middle] + 1) % 256
    bad = client.post(url, data={"file": (io.BytesIO(bytes(altered)), "kq.pdf")},
                      content_type="multipart/form-data").get_json()
    assert bad["valid"] is False and bad["matches"] is False and bad["reason"]
    with app.app_context():
        assert verify_pdf(bytes(altered), trust_roots()).valid is False  # the signature alone tells
    page = client.post(f"/public/verify/{document.public_id}", data={"file": (io.BytesIO(bytes(altered)), "kq.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Không hợp lệ" in page
    page = client.post(f"/public/verify/{document.public_id}", data={"file": (io.BytesIO(data), "kq.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Hợp lệ: tệp này đúng là văn bản đã cấp" in page


def test_verification_refuses_a_missing_or_oversized_file(app, client, level4):
    code, _headers = paid_marital(app, client, level4, method="online")
    approve(client, code, result_pdf())
    document = issued(app, code)
    url = f"/api/v1/public/documents/{document.public_id}/verify"
    missing = client.post(url, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and missing.get_json()["errors"][0]["path"] == "/file"
    app.config["UPLOAD_MAX_FILE_BYTES"], before = 1000, app.config["UPLOAD_MAX_FILE_BYTES"]
    try:
        big = client.post(url, data={"file": (io.BytesIO(b"%PDF" + b"0" * 2000), "x.pdf")},
                          content_type="multipart/form-data")
        assert big.status_code == 413
    finally:
        app.config["UPLOAD_MAX_FILE_BYTES"] = before
    page = client.post(f"/public/verify/{document.public_id}", data={}, content_type="multipart/form-data")
    assert page.status_code == 422 and "Chọn tệp" in page.get_data(as_text=True)


def test_only_the_owner_downloads_the_result_and_every_download_is_logged(app, client, level4):
    code, _headers = paid_marital(app, client, level4, method="online")
    approve(client, code, result_pdf())
    document = issued(app, code)
    officer_view = client.get(f"/documents/{code}/results/{document.id}")  # still the officer
    assert officer_view.status_code == 200
    citizen_download(client, code, document.id)
    logout(client)
    web_login(client, "citizen2")
    assert client.get(f"/my/dossiers/{code}/results/{document.id}").status_code == 404
    assert client.get(f"/documents/{code}/results/{document.id}").status_code == 404
    logout(client)
    assert client.get(f"/my/dossiers/{code}/results/{document.id}").status_code in (302, 401)
    with app.app_context():
        events = db.session.scalars(select(DossierEvent).join(Dossier).where(
            Dossier.code == code, DossierEvent.action == "download_result")).all()
        assert [(e.public, e.payload["sha256"]) for e in events] == \
            [(False, document.sha256), (True, document.sha256)]
    shown = detail(client, auth(client, "citizen"), code)
    assert "download_result" in [e["action"] for e in shown["events"]]


def test_without_a_certificate_an_electronic_result_is_refused_and_others_stay_unsigned(app, client, level4):
    app.config["SIGNING_TEST_CA"] = False
    try:
        code, _headers = paid_marital(app, client, level4, method="online")
        response = approve(client, code, result_pdf())
        assert response.status_code == 409
        assert "chưa có chứng thư số" in response.get_data(as_text=True)
        logout(client)
        office, _headers = paid_marital(app, client, level4, method="office")
        assert approve(client, office, result_pdf()).status_code == 302
        assert issued(app, office).signed is False
        logout(client)
        page = client.get(f"/public/verify/{issued(app, office).public_id}").get_data(as_text=True)
        assert "Không ký số" in page
    finally:
        app.config["SIGNING_TEST_CA"] = True


def _pkcs12(app, name: str, password: bytes) -> bytes:
    """A unit certificate as a CA would issue it (from the test CA, for the test)."""
    with app.app_context():
        data, passphrase = testca.test_identity(f"upload-{name}", name)
    key, cert, chain = pkcs12.load_key_and_certificates(data, passphrase)
    return pkcs12.serialize_key_and_certificates(b"unit", key, cert, chain,
                                                 serialization.BestAvailableEncryption(password))


def test_the_administrator_configures_the_units_certificate_and_it_signs(app, client, level4):
    logout(client)
    web_login(client, "admin")
    upload = _pkcs12(app, "UBND xã Lộc Tấn (chứng thư đơn vị)", b"mat-khau")
    wrong = client.post("/admin/signing-certificates/", data={
        "unit": "25279", "passphrase": "sai", "certificate": (io.BytesIO(upload), "ubnd.p12")},
        content_type="multipart/form-data")
    assert wrong.status_code == 422 and "mật khẩu không đúng" in wrong.get_data(as_text=True)
    page = client.get("/admin/signing-certificates/").get_data(as_text=True)
    assert 'name="unit_pick.unit"' in page and "Tỉnh Đồng Nai" in page  # picked by name, not typed
    # the picker as a browser without JavaScript sends it: the province, then its commune
    saved = client.post("/admin/signing-certificates/", data={
        "unit_pick.unit._province": "75", "unit_pick.unit": "25279", "passphrase": "mat-khau",
        "certificate": (io.BytesIO(upload), "ubnd.p12")}, content_type="multipart/form-data")
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    with app.app_context():
        record = db.session.scalar(select(AdminAuditRecord).where(AdminAuditRecord.object_type == "SigningCredential"))
        assert record.object_id == "25279" and "mat-khau" not in str(record.changes)
    logout(client)
    code, _headers = paid_marital(app, client, level4, method="online")
    approve(client, code, result_pdf())
    assert issued(app, code).signer == "UBND xã Lộc Tấn (chứng thư đơn vị)"
