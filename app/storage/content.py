"""What a file really is, judged from its bytes (the `filetype` library), never from its name."""
from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable

import filetype
from PIL import Image

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


# --- Active content and bombs -----------------------------------------------------------------
# A PDF may carry programs a viewer runs on opening (JavaScript, launch actions, embedded files,
# Flash, XFA forms); a small image may declare billions of pixels that a viewer or our own PDF
# renderer would decompress. Neither belongs in a dossier.
PDF_ACTIVE_NAMES = {b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/EmbeddedFiles",
                    b"/RichMedia", b"/XFA", b"/SubmitForm", b"/ImportData"}
_PDF_NAME = re.compile(rb"/[A-Za-z0-9#_.\-]+")
_PDF_STREAM = re.compile(rb"/FlateDecode.*?stream\r?\n", re.S)
INFLATE_LIMIT = 20 * 1024 * 1024  # bytes of decompressed stream data looked at in one file
MAX_IMAGE_PIXELS = 60_000_000  # a 300 dpi A3 scan is 17 MP; a phone photo 12–50 MP


def _pdf_names(data: bytes) -> set[bytes]:
    """The PDF name tokens in bytes, with #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    names = set()
    for raw in _PDF_NAME.findall(data):
        names.add(re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw))
    return names


def _inflated_streams(data: bytes) -> Iterable[bytes]:
    """The decompressed content of the file's Flate streams (object streams hide dictionaries)."""
    budget = INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(data[match.end():match.end() + budget], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk
        if budget <= 0 or inflater.unconsumed_tail:
            # More than the budget: a bomb, or a file too large to look through.
            yield b"/__too_large__"
            return


def pdf_active_content(data: bytes) -> bool:
    """Whether a PDF carries something a viewer would run, or hides more than we can look at."""
    names = _pdf_names(data)
    for chunk in _inflated_streams(data):
        names |= _pdf_names(chunk)
    return bool(names & (PDF_ACTIVE_NAMES | {b"/__too_large__"}))


def image_too_large(data: bytes) -> bool:
    """Whether an image declares more pixels than any scan needs (read from its header only)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (Image.DecompressionBombError, OSError, ValueError):
        return True
    return width * height > MAX_IMAGE_PIXELS


def unsafe_content(data: bytes, mime: str) -> bool:
    """Whether a file of an accepted type is nevertheless unsafe to keep and show."""
    if mime == PDF:
        return pdf_active_content(data)
    if mime.startswith("image/"):
        return image_too_large(data)
    return False
