"""A worker process killed (SIGKILL) in the middle of an upload, at a chosen moment.

Usage: python killed_upload.py DATABASE_URL UPLOAD_DIR DOSSIER_CODE before_commit|before_rename
"""
from __future__ import annotations

import os
import signal
import sys

sys.path.insert(0, os.getcwd())

from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import create_app  # noqa: E402
from tests.factories import PASSWORD  # noqa: E402
from tests.portal.data import pdf_bytes, upload  # noqa: E402


def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def main(url: str, upload_dir: str, code: str, moment: str) -> None:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=upload_dir)
    client = app.test_client()
    token = client.post("/api/v1/security/login", json={
        "username": "citizen", "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    if moment == "before_commit":  # the file is complete, its row not yet committed
        event.listen(Session, "before_commit", die)
    else:  # the bytes are in the temporary file, not yet renamed into place
        import app.storage.filesystem as filesystem

        filesystem.os.replace = die
    client.post(f"/api/v1/dossiers/{code}/attachments", headers={"Authorization": f"Bearer {token}"},
                data={"document_key": "giay_chung_sinh", "file": upload(pdf_bytes(), "gcs.pdf")},
                content_type="multipart/form-data")
    sys.exit("the upload finished: the worker was not killed")


if __name__ == "__main__":
    main(*sys.argv[1:5])
