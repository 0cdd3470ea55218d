"""Uploads judged by their bytes: what a browser or a PDF viewer would run is refused with a clear
message, names cannot reach the file system, and stored files come back as the type they are."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from tests.helpers import auth
from tests.portal.conftest import birth  # noqa: F401 - the portal's fixture, reused
from tests.portal.data import pdf_bytes, png_bytes, upload

CONTACT = {"phone": "0912345678", "email": "an@example.test"}


def _dossier(client, birth) -> tuple[str, dict]:  # noqa: F811
    headers = auth(client, "citizen")
    response = client.post("/api/v1/dossiers/", headers=headers, json={
        "procedure": birth["procedure"], "unit": birth["unit"], "data": {}, "contact": CONTACT,
        "delivery": {"method": "office"}})
    return response.get_json()["code"], headers


def _attach(client, headers, code, data: bytes, name: str = "giay-chung-sinh.pdf"):
    return client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                       data={"document_key": "giay_chung_sinh", "file": upload(data, name)},
                       content_type="multipart/form-data")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    return buffer.getvalue()


def _pdf_with(dictionary: bytes) -> bytes:
    return pdf_bytes().replace(b"/Type/Catalog", b"/Type/Catalog" + dictionary)


def _pdf_with_compressed_script() -> bytes:
    hidden = zlib.compress(b"<</S/JavaScript/JS(app.alert(1))>>")
    stream = (b"5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length " + str(len(hidden)).encode()
              + b">>stream\n" + hidden + b"\nendstream endobj\n")
    return pdf_bytes().replace(b"trailer", stream + b"trailer")


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


REFUSED = {
    "windows program named .pdf": b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
    "html page named .pdf": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "svg image named .pdf": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "zip archive named .pdf": _zip(),
    "pdf with javascript": _pdf_with(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
    "pdf with an escaped javascript name": _pdf_with(b"/OpenAction<</S/J#61vaScript/JS(x)>>"),
    "pdf with javascript in a compressed object stream": _pdf_with_compressed_script(),
    "pdf launching a program": _pdf_with(b"/OpenAction<</S/Launch/F(cmd.exe)>>"),
    "pdf carrying an embedded file": _pdf_with(b"/Names<</EmbeddedFiles 9 0 R>>"),
    "png declaring 100,000 × 100,000 pixels": _png_declaring(100_000, 100_000),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_dangerous_files_are_refused_with_a_message_and_nothing_is_kept(client, birth, case):  # noqa: F811
    code, headers = _dossier(client, birth)
    response = _attach(client, headers, code, REFUSED[case])
    assert response.status_code == 415, (case, response.get_json())
    error = response.get_json()["errors"][0]
    assert error["path"] == "/file" and error["message"]
    assert client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["attachments"] == []


def test_empty_file_and_one_byte_over_the_limit(app, client, birth):  # noqa: F811
    code, headers = _dossier(client, birth)
    empty = _attach(client, headers, code, b"")
    assert empty.status_code == 422 and empty.get_json()["errors"][0]["path"] == "/file"
    limit = len(pdf_bytes())
    app.config["UPLOAD_MAX_FILE_BYTES"] = limit
    try:
        assert _attach(client, headers, code, pdf_bytes()).status_code == 201
        over = _attach(client, headers, code, pdf_bytes().replace(b"%%EOF", b"%%EOF "))
        assert over.status_code == 413
    finally:
        app.config["UPLOAD_MAX_FILE_BYTES"] = 10 * 1024 * 1024


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "giay\x00.exe.pdf",
                                  "<img src=x onerror=alert(1)>.pdf"])
def test_names_cannot_reach_the_file_system_or_the_page(app, client, birth, name):  # noqa: F811
    code, headers = _dossier(client, birth)
    response = _attach(client, headers, code, pdf_bytes(), name)
    assert response.status_code == 201, response.get_json()
    stored = response.get_json()["filename"]
    assert "/" not in stored and "\\" not in stored and "\x00" not in stored and "<" not in stored
    assert stored.endswith(".pdf")
    from app.dossiers.models import Attachment
    from app.extensions import db
    with app.app_context():
        key = db.session.get(Attachment, response.get_json()["id"]).storage_key
    assert ".." not in key and key.startswith(f"dossiers/{code}/")


def test_stored_files_come_back_as_what_they_are_never_as_something_a_browser_runs(client, birth):  # noqa: F811
    code, headers = _dossier(client, birth)
    png = _attach(client, headers, code, png_bytes(), "anh.html").get_json()
    pdf = _attach(client, headers, code, pdf_bytes(), "to-khai.svg").get_json()
    for item, mime in ((png, "image/png"), (pdf, "application/pdf")):
        response = client.get(f"/api/v1/dossiers/{code}/attachments/{item['id']}", headers=headers)
        assert response.status_code == 200 and response.mimetype == mime
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        assert not item["filename"].endswith((".html", ".svg"))
