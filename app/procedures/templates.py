"""Downloadable form templates of a procedure (level 2): checked by content, stored once by
their SHA-256, audited."""
from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from app.core import audit
from app.core.refusal import Refused
from app.extensions import db
from app.procedures.models import Procedure, ProcedureTemplate
from app.storage import get_storage
from app.storage.content import EXTENSIONS, detect_type, safe_filename

TEMPLATE_TYPES = ("application/pdf", "application/msword",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "application/vnd.oasis.opendocument.text")


def clean_filename(name: str) -> str:
    return safe_filename(name, "template")


def check_upload(filename: str, data: bytes) -> tuple[str, list[str]]:
    """The content type of an acceptable template, and localized problems otherwise."""
    limit = current_app.config.get("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
    if not data:
        return "", [_("The file is empty.")]
    if len(data) > limit:
        return "", [_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024))]
    content_type = detect_type(data, TEMPLATE_TYPES)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if content_type is None:
        return "", [_("Only PDF, DOC, DOCX and ODT files are accepted; this file is none of them.")]
    kind = EXTENSIONS[content_type]
    if extension != kind:
        return "", [_("The file's content is %(kind)s but its name ends in .%(ext)s; rename it.",
                      kind=kind.upper(), ext=extension or "?")]
    return content_type, []


def store_template_file(data: bytes, content_type: str) -> tuple[str, str]:
    """Keep the bytes through the storage interface, once per content; (storage key, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    key = f"templates/{digest[:2]}/{digest}"
    storage = get_storage()
    if not storage.exists(key):
        storage.save(key, data, content_type)
    return key, digest


def add_template(procedure: Procedure, title: str, filename: str, data: bytes) -> Any:
    """Check a template by content, store it and list it on the procedure page."""
    filename = clean_filename(filename)
    content_type, problems = check_upload(filename, data)
    title = (title or "").strip() or filename.rsplit(".", 1)[0]
    if len(title) > 255:
        problems.append(_("The title is longer than 255 characters."))
    if problems:
        raise Refused(problems)
    key, digest = store_template_file(data, content_type)
    template = ProcedureTemplate(procedure=procedure, title=title, filename=filename,
                                 content_type=content_type, size=len(data), sha256=digest,
                                 storage_key=key)
    db.session.add(template)
    db.session.flush()
    audit.record("create", "ProcedureTemplate", template.id, f"{procedure.code}: {filename}",
                 {"sha256": digest, "size": len(data)})
    db.session.flush()
    return template


def delete_template(template: Any) -> None:
    """Remove a template from the procedure (the stored bytes may be shared, so they stay)."""
    audit.record("delete", "ProcedureTemplate", template.id,
                 f"{template.procedure.code}: {template.filename}", {"sha256": template.sha256})
    db.session.delete(template)
    db.session.flush()
