"""Citizen attachments: checked by content and size, stored through app.storage."""
from __future__ import annotations

import hashlib
import io
import os
import uuid
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core import quota
from app.dossiers import fees, idempotency
from app.dossiers.errors import DossierError
from app.dossiers.filters import require_editable
from app.dossiers.models import Attachment, Dossier
from app.extensions import db
from app.procedures.documents import missing_documents as needed_without_file
from app.storage import delete_after_commit, get_storage, store
from app.storage.content import detect_type, looks_complete, safe_filename, unsafe_content

# Content types we accept, recognised by their magic bytes.
ALLOWED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def sniff_type(head: bytes) -> str | None:
    """The MIME type the bytes really are, or None when not PDF, JPEG or PNG."""
    return detect_type(head, ALLOWED_TYPES)


def documents_for(dossier: Dossier) -> list[dict[str, Any]]:
    """The documents a dossier may carry: its version's list, plus the proof of a fee exemption
    where one can be claimed."""
    documents = list(dossier.procedure_version.required_documents or [])
    if dossier.fee_exemption or fees.exemption_available(dossier):
        title, title_en = fees.EXEMPTION_PROOF_TITLE
        documents.append({"key": fees.EXEMPTION_PROOF, "title": title, "required": False,
                          "accept": list(ALLOWED_TYPES), "x-i18n": {"en": {"title": title_en}}})
    return documents


def document_titles(dossier: Dossier, locale: str = "vi") -> dict[str, str]:
    """Document key → title in the locale, from the dossier's procedure version."""
    titles = {}
    for doc in documents_for(dossier):
        title = doc.get("title", doc.get("key", ""))
        if locale != "vi":
            title = (doc.get("x-i18n") or {}).get(locale, {}).get("title", title)
        titles[doc["key"]] = title
    return titles


def _error(message: str, status: int, path: str) -> DossierError:
    return DossierError(message, status, [{"path": path, "message": message}])


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    return data if isinstance(data, bytes) else bytes(data)


def add_attachment(user: Any, dossier: Dossier, document_key: str, filename: str,
                   stream: BinaryIO, expected_sha256: str | None = None) -> Attachment:
    """Check and store one file for a required document (and its SHA-256, when the client sent it)."""
    require_editable(user, dossier)
    quota.spend("UPLOAD_QUOTA", getattr(user, "id", None))
    if document_key not in document_titles(dossier):
        raise _error(_("Choose one of the documents this procedure asks for."), 422, "/document_key")
    max_file = current_app.config["UPLOAD_MAX_FILE_BYTES"]
    data = _read_limited(stream, max_file)
    if len(data) > max_file:
        raise _error(_("The file is larger than %(mb)s MB.", mb=_megabytes(max_file)), 413, "/file")
    if not data:
        raise _error(_("The file is empty."), 422, "/file")
    mime = sniff_type(data[:8192])
    if mime is None:
        raise _error(_("Only PDF, JPEG or PNG files are accepted (checked by content, not by name)."),
                     415, "/file")
    if not looks_complete(data, mime):
        raise _error(_("The file is incomplete: it was cut off before its end. Please upload it again."),
                     422, "/file")
    if unsafe_content(data, mime):
        raise _error(_("This file cannot be accepted: it contains scripts, embedded files or an image "
                       "larger than any scan. Print it to PDF again or scan the paper."), 415, "/file")
    if expected_sha256 and expected_sha256.strip().lower() != hashlib.sha256(data).hexdigest():
        raise _error(_("The file received differs from the one sent (SHA-256 mismatch). "
                       "Please upload it again."), 422, "/sha256")
    max_total = current_app.config["UPLOAD_MAX_DOSSIER_BYTES"]
    used = sum(item.size or 0 for item in dossier.attachments)  # loaded with the dossier
    if used + len(data) > max_total:
        raise _error(_("The dossier's files may not exceed %(mb)s MB in total.",
                       mb=_megabytes(max_total)), 413, "/file")
    key = f"dossiers/{dossier.code}/{uuid.uuid4().hex}{ALLOWED_TYPES[mime]}"
    store(key, data, mime)
    attachment = Attachment(dossier=dossier, document_key=document_key,
                            filename=clean_filename(filename, ALLOWED_TYPES[mime]),
                            content_type=mime, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), storage_key=key)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attach_once(user: Any, dossier: Dossier, document_key: str, filename: str, stream: BinaryIO,
                idempotency_key: str | None, expected_sha256: str | None = None
                ) -> tuple[Attachment, bool]:
    """add_attachment, made safe to retry by an Idempotency-Key (per dossier): (file, created)."""
    if not idempotency_key:
        return add_attachment(user, dossier, document_key, filename, stream, expected_sha256), True
    require_editable(user, dossier)
    data = _read_limited(stream, current_app.config["UPLOAD_MAX_FILE_BYTES"])
    digest = idempotency.fingerprint(dossier=dossier.code, document_key=document_key,
                                     filename=filename, sha256=hashlib.sha256(data).hexdigest())
    existing = db.session.scalar(select(Attachment).where(
        Attachment.dossier_id == dossier.id, Attachment.idempotency_key == idempotency_key))
    if existing is not None:
        idempotency.check_same(existing.idempotency_fingerprint, digest,
                               _("file %(name)s", name=existing.filename))
        return existing, False
    try:
        with db.session.begin_nested():  # a concurrent retry with the same key: one row, one file
            attachment = add_attachment(user, dossier, document_key, filename, io.BytesIO(data),
                                        expected_sha256)
            attachment.idempotency_key = idempotency_key[:100]
            attachment.idempotency_fingerprint = digest
            db.session.flush()
    except IntegrityError:
        return attach_once(user, dossier, document_key, filename, io.BytesIO(data),
                           idempotency_key, expected_sha256)
    return attachment, True


def get_attachment(dossier: Dossier, attachment_id: int) -> Attachment:
    attachment = db.session.scalar(select(Attachment).where(
        Attachment.id == attachment_id, Attachment.dossier_id == dossier.id))
    if attachment is None:
        raise DossierError(_("File not found."), 404)
    return attachment


def remove_attachment(user: Any, dossier: Dossier, attachment_id: int) -> None:
    """Delete one of the dossier's files while it is editable (the file goes after the commit)."""
    require_editable(user, dossier)
    attachment = get_attachment(dossier, attachment_id)
    delete_after_commit(attachment.storage_key)
    dossier.attachments.remove(attachment)  # delete-orphan: the row goes at the flush
    db.session.flush()


def replace_attachment(user: Any, dossier: Dossier, attachment_id: int, filename: str,
                       stream: BinaryIO) -> Attachment:
    """Upload a new file for the same document, then remove the old one."""
    old = get_attachment(dossier, attachment_id)
    with db.session.begin_nested():  # both or neither
        new = add_attachment(user, dossier, old.document_key, filename, stream)
        remove_attachment(user, dossier, attachment_id)
    return new


def read_attachment(attachment: Attachment) -> bytes:
    return get_storage().read(attachment.storage_key)


def missing_documents(dossier: Dossier) -> list[str]:
    """Keys of the documents this declaration needs (required, or required when…) without a file."""
    return needed_without_file(dossier.procedure_version.required_documents, dossier.data or {},
                               {a.document_key for a in dossier.attachments})


def clean_filename(name: str, extension: str) -> str:
    """A displayable file name without directories; Vietnamese letters are kept."""
    stem = os.path.splitext(safe_filename(name, ""))[0] or "tai-lieu"
    return stem + extension


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g}"
