"""What a file really is, judged from its bytes (the `filetype` library), never from its name."""
from __future__ import annotations

from collections.abc import Iterable

import filetype

PDF = "application/pdf"
EXTENSIONS = {
    PDF: "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
}


def detect_type(data: bytes, allowed: Iterable[str]) -> str | None:
    """The MIME type the bytes really are when it is one of `allowed`, else None."""
    kind = filetype.guess(data) if data else None
    if kind is None or kind.mime not in set(allowed):
        return None
    return kind.mime


def safe_filename(name: str | None, default: str) -> str:
    """The file's own name, without folders or characters unsafe in headers (Vietnamese kept)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return base.strip(" .")[:200] or default


# How each type ends; a file cut off on the way (a dropped connection, a killed client) lacks it.
ENDINGS = {PDF: (b"%%EOF",), "image/png": (b"IEND\xaeB`\x82",), "image/jpeg": (b"\xff\xd9",)}
TAIL = 2048  # writers may put a little after the end marker (whitespace, padding)


def looks_complete(data: bytes, mime: str) -> bool:
    """Whether the file ends as its type must; True for types without a known ending."""
    endings = ENDINGS.get(mime)
    if not endings:
        return True
    tail = data[-TAIL:]
    return any(marker in tail for marker in endings)
