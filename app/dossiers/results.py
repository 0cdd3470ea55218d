"""Result documents of approved dossiers, signed (PAdES) by the unit's certificate with a QR
code to the public verification page, and file access shared by the back office."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app.documents.credentials import identity_for
from app.dossiers.errors import DossierError, field_error
from app.dossiers.filters import is_owner
from app.dossiers.history import record_event
from app.dossiers.models import Dossier, ResultDocument
from app.dossiers.papers import issuer_name, result_notice
from app.extensions import db
from app.storage import StorageError, get_storage, store
from app.storage.content import PDF, detect_type, safe_filename, unsafe_content
from app.workdays import LOCAL_TZ


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


# Kinds of result (definition key `result_kind`) that are a document the office issues and the
# officer attaches: a generated notice is never presented as one of them.
DOCUMENT_RESULTS = ("certificate", "decision")


def result_kind(procedure: Any) -> str:
    """'certificate' (a civil-status paper, a card), 'decision' or 'notice' (the default)."""
    return str((getattr(procedure, "extra", None) or {}).get("result_kind") or "notice")


def result_document_required(dossier: Dossier) -> bool:
    """Whether approving needs the result document attached (no generated notice)."""
    return result_kind(dossier.procedure) in DOCUMENT_RESULTS


def attach_result(dossier: Dossier, user: Any, upload: Any = None, filename: str = "",
                  text: str = "") -> ResultDocument:
    """Keep the uploaded PDF (checked by content and size) or generate a result notice, which
    procedures whose result is a certificate or a decision refuse (422 at /result_file)."""
    generated = False
    if (upload is None or upload == "") and result_document_required(dossier):
        raise field_error("/result_file", _(
            "The result of this procedure is %(result)s: attach the signed result document as a "
            "PDF; a generated notice cannot stand for it.",
            result=dossier.procedure.result or dossier.procedure.name))
    if upload is not None and upload != "":
        data, original = _upload_bytes(upload)
        limit = current_app.config.get("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
        if not data:
            raise field_error("/result_file", _("The file is empty."))
        if len(data) > limit:
            raise field_error("/result_file", _("The file is too large."), 413)
        if detect_type(data, (PDF,)) is None:
            raise field_error("/result_file", _("The result must be a PDF file."), 415)
        if unsafe_content(data, PDF):
            raise field_error("/result_file", _("The result PDF contains scripts or embedded files, "
                                                "which citizens' viewers would run. Export it again "
                                                "as plain PDF."), 415)
        filename = safe_filename(filename or original, f"ket-qua-{dossier.code}.pdf")
    else:
        data = result_notice(dossier, text)
        filename = f"ket-qua-{dossier.code}.pdf"
        generated = True
    public_id = secrets.token_hex(12)
    data, signer = _signed(dossier, data, public_id, generated)
    key = f"results/{dossier.code}/{uuid.uuid4().hex}.pdf"
    store(key, data, "application/pdf")
    document = ResultDocument(
        dossier_id=dossier.id, filename=filename[:255], content_type="application/pdf",
        size=len(data), sha256=hashlib.sha256(data).hexdigest(), storage_key=key,
        generated=generated, created_by_id=getattr(user, "id", None), public_id=public_id,
        title=result_title(dossier)[:255], signed=signer is not None, signer=signer,
    )
    db.session.add(document)
    return document


def result_title(dossier: Dossier) -> str:
    """The kind of document issued, as the public verification page names it."""
    return dossier.procedure.result or f"Kết quả giải quyết: {dossier.procedure.name}"


def verify_url(public_id: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    return f"{base}/public/verify/{public_id}"


def _signed(dossier: Dossier, data: bytes, public_id: str, generated: bool) -> tuple[bytes, str | None]:
    """The result signed by the unit (or its province), or unsigned where nobody can sign."""
    unit = dossier.unit
    issuer = issuer_name(dossier)
    identity = identity_for([unit.code, unit.province.code], issuer)
    if identity is None:
        if dossier.delivery_method == "online":
            raise DossierError(_("This unit has no signing certificate: an administrator must add "
                                 "one before results are delivered electronically."), 409)
        return data, None
    # pyHanko, fpdf2 and their dependencies (≈ 40 MB per process) load with the first signature.
    from app.documents import signing

    url = verify_url(public_id)
    now = dt.datetime.now(LOCAL_TZ)
    lines = ["VĂN BẢN ĐIỆN TỬ ĐÃ ĐƯỢC KÝ SỐ", f"Cơ quan ký: {issuer}",
             f"Hồ sơ: {dossier.code} — {result_title(dossier)}",
             f"Thời gian ký: {now:%H:%M ngày %d/%m/%Y}",
             f"Xác minh: quét mã QR hoặc mở {url}"]
    if identity.test:
        lines.append("Chứng thư thử nghiệm của MotCua: không có giá trị pháp lý.")
    try:
        signed = signing.sign_pdf(data, identity, stamp=signing.render_stamp(url, lines),
                                  reason="Kết quả giải quyết thủ tục hành chính",
                                  location=unit.name, new_page=not generated, link=url)
    except signing.SigningError:
        raise field_error("/result_file", _("This PDF cannot be signed (it may be protected or "
                                            "damaged); save it again as PDF and upload it."), 422) from None
    return signed, identity.name


def log_download(dossier: Dossier, document: ResultDocument, user: Any) -> None:
    """Every download of a result is in the dossier's history (the owner's are shown to them)."""
    record_event(dossier, "download_result", getattr(user, "id", None),
                 status_before=dossier.status, status_after=dossier.status,
                 public=is_owner(user, dossier),
                 payload={"result": document.public_id or str(document.id), "sha256": document.sha256})
