"""Result documents of approved dossiers, and file access shared by the back office."""
from __future__ import annotations

import hashlib
import uuid
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app.dossiers.errors import field_error
from app.dossiers.models import Dossier, ResultDocument
from app.dossiers.papers import result_notice
from app.extensions import db
from app.storage import StorageError, get_storage, store
from app.storage.content import PDF, detect_type, safe_filename


def read_file(key: str) -> bytes | None:
    """The stored bytes, or None when the file is missing."""
    try:
        return get_storage().read(key)
    except StorageError:
        return None


def _upload_bytes(upload: Any) -> tuple[bytes, str]:
    """Bytes and filename of a werkzeug FileStorage or raw bytes."""
    if isinstance(upload, (bytes, bytearray)):
        return bytes(upload), ""
    if hasattr(upload, "read"):
        limit = current_app.config.get("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
        return upload.read(limit + 1), getattr(upload, "filename", "") or ""
    raise field_error("/result_file", _("Attach the result as a PDF file."))


def attach_result(dossier: Dossier, user: Any, upload: Any = None, filename: str = "",
                  text: str = "") -> ResultDocument:
    """Keep the uploaded PDF (checked by content and size) or generate a result notice."""
    generated = False
    if upload is not None and upload != "":
        data, original = _upload_bytes(upload)
        limit = current_app.config.get("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
        if not data:
            raise field_error("/result_file", _("The file is empty."))
        if len(data) > limit:
            raise field_error("/result_file", _("The file is too large."), 413)
        if detect_type(data, (PDF,)) is None:
            raise field_error("/result_file", _("The result must be a PDF file."), 415)
        filename = safe_filename(filename or original, f"ket-qua-{dossier.code}.pdf")
    else:
        data = result_notice(dossier, text)
        filename = f"ket-qua-{dossier.code}.pdf"
        generated = True
    key = f"results/{dossier.code}/{uuid.uuid4().hex}.pdf"
    store(key, data, "application/pdf")
    document = ResultDocument(
        dossier_id=dossier.id, filename=filename[:255], content_type="application/pdf",
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_key=key,
        generated=generated, created_by_id=getattr(user, "id", None),
    )
    db.session.add(document)
    return document
