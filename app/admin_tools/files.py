"""Form template files (level 2): type checked by content, stored by their SHA-256."""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of .doc
ODT_MIME = b"application/vnd.oasis.opendocument.text"
TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def detect_kind(data: bytes) -> str | None:
    """pdf, doc, docx or odt from the bytes themselves; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(OLE2):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIME:
                    return "odt"
                if "[Content_Types].xml" in names and "word/document.xml" in names:
                    return "docx"
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
    return None


def clean_filename(name: str) -> str:
    """The file's own name without folders or control characters (Vietnamese kept)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')
    return name.strip(" .")[:200] or "template"


def check_upload(filename: str, data: bytes) -> tuple[str, list[str]]:
    """The content type of an acceptable template, and localized problems otherwise."""
    limit = current_app.config.get("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
    if not data:
        return "", [_("The file is empty.")]
    if len(data) > limit:
        return "", [_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024))]
    kind = detect_kind(data)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind is None:
        return "", [_("Only PDF, DOC, DOCX and ODT files are accepted; this file is none of them.")]
    if extension != kind:
        return "", [_("The file's content is %(kind)s but its name ends in .%(ext)s; rename it.",
                      kind=kind.upper(), ext=extension or "?")]
    return TYPES[kind], []


def store(data: bytes) -> tuple[str, str]:
    """Write the bytes under UPLOAD_DIR (atomically); (storage key, sha256)."""
    digest = hashlib.sha256(data).hexdigest()
    key = f"templates/{digest[:2]}/{digest}"
    path = storage_path(key)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    return key, digest


def storage_path(key: str) -> Path:
    """The file of a storage key, refusing keys that would leave the upload folder."""
    root = Path(current_app.config["UPLOAD_DIR"]).resolve()
    path = (root / key).resolve()
    if root not in path.parents:
        raise ValueError("storage key outside the upload folder")
    return path
