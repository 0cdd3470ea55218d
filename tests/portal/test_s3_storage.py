"""Attachments on S3-compatible storage, against a real S3 server (moto in server mode)."""
from __future__ import annotations

import socket

import pytest

from app.storage import get_storage
from app.storage.base import StorageError
from app.storage.s3 import S3Storage
from tests.helpers import auth
from tests.portal.data import pdf_bytes, upload
from tests.portal.test_api_filing import CONTACT

moto_server = pytest.importorskip("moto.server")
BUCKET = "motcua-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """A real S3 HTTP server on a free local port for the module's tests."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint) -> S3Storage:
    storage = S3Storage(BUCKET, endpoint_url=s3_endpoint, region="us-east-1",
                        access_key="test", secret_key="test", prefix="attachments")  # noqa: S106
    storage.client.create_bucket(Bucket=BUCKET)
    yield storage
    for item in storage.client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        storage.client.delete_object(Bucket=BUCKET, Key=item["Key"])
    storage.client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def app_on_s3(app, s3):
    """The application storing its files in the bucket for the duration of a test."""
    previous = app.extensions.get("motcua_storage")
    app.extensions["motcua_storage"] = s3
    yield s3
    if previous is None:
        app.extensions.pop("motcua_storage", None)
    else:
        app.extensions["motcua_storage"] = previous


def test_s3_backend_saves_reads_lists_and_deletes_objects(s3):
    s3.save("2026/12/a.pdf", b"%PDF-1.7 one", "application/pdf")
    s3.save("2026/12/b.png", b"\x89PNG two", "image/png")
    assert s3.read("2026/12/a.pdf") == b"%PDF-1.7 one"
    assert s3.exists("2026/12/b.png") and not s3.exists("2026/12/c.pdf")
    # Objects live under the prefix; listing answers keys without it.
    names = sorted(item["Key"] for item in s3.client.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert names == ["attachments/2026/12/a.pdf", "attachments/2026/12/b.png"]
    assert sorted((f.key, f.size) for f in s3.files()) == [("2026/12/a.pdf", 12), ("2026/12/b.png", 8)]
    head = s3.client.head_object(Bucket=BUCKET, Key="attachments/2026/12/b.png")
    assert head["ContentType"] == "image/png"
    s3.delete("2026/12/a.pdf")
    assert not s3.exists("2026/12/a.pdf")
    with pytest.raises(StorageError):
        s3.read("2026/12/a.pdf")


def test_s3_backend_refuses_keys_that_escape_the_prefix(s3):
    with pytest.raises(StorageError):
        s3.save("../outside.pdf", b"x")


def test_a_missing_bucket_is_a_storage_error(s3_endpoint):
    storage = S3Storage("no-such-bucket", endpoint_url=s3_endpoint, region="us-east-1",
                        access_key="test", secret_key="test")  # noqa: S106
    with pytest.raises(StorageError):
        storage.save("a.pdf", b"x")


def test_citizen_uploads_and_downloads_an_attachment_kept_in_the_bucket(app, client, birth, app_on_s3):
    headers = auth(client, "citizen")
    created = client.post("/api/v1/dossiers/", headers=headers, json={
        "procedure": birth["procedure"], "unit": birth["unit"], "data": {}, "contact": CONTACT,
        "delivery": {"method": "office"}})
    code = created.get_json()["code"]
    response = client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                           data={"document_key": "giay_chung_sinh",
                                 "file": upload(pdf_bytes(), "giay-chung-sinh.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    attachment = response.get_json()
    with app.app_context():
        assert get_storage() is app_on_s3
    stored = list(app_on_s3.files())
    assert len(stored) == 1 and stored[0].size == len(pdf_bytes())
    downloaded = client.get(f"/api/v1/dossiers/{code}/attachments/{attachment['id']}",
                            headers=headers)
    assert downloaded.status_code == 200 and downloaded.data == pdf_bytes()
    # Removing the attachment removes the object once the request has committed.
    removed = client.delete(f"/api/v1/dossiers/{code}/attachments/{attachment['id']}",
                            headers=headers)
    assert removed.status_code == 204
    assert list(app_on_s3.files()) == []
