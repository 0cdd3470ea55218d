"""PAdES signatures with pyHanko: sign a PDF with a visible stamp carrying a QR code, and check
a presented PDF's signature against trust roots. Knows no dossier.

The stamp (QR code and Vietnamese text) is drawn by fpdf2 with the Liberation Serif font and becomes the
appearance of the signature field, so it is covered by the signature itself.
"""
from __future__ import annotations

import binascii
import datetime as dt
import io
import logging
import uuid
from dataclasses import dataclass
from typing import Sequence

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fpdf import FPDF
from pyhanko.pdf_utils import content, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

from app.documents.credentials import SigningIdentity
from app.documents.pdf import FONT, add_fonts

log = logging.getLogger(__name__)
FIELD = "MotCuaSignature"
MM = 72 / 25.4
A4 = (595.28, 841.89)
STAMP_MM = (170, 34)


class SigningError(Exception):
    """The PDF could not be signed (unreadable file, unusable certificate)."""


@dataclass
class Verification:
    """What a signature check found; `valid` needs intact, trusted and covering the whole file."""

    signed: bool
    valid: bool = False
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    problem: str = ""  # not_signed | altered | untrusted | partial | unreadable


def render_stamp(url: str, lines: Sequence[str], size_mm: tuple[int, int] = STAMP_MM) -> bytes:
    """A one-page PDF the size of the stamp: the QR code of `url` and a few lines of text."""
    import qrcode

    width, height = size_mm
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_page()
    add_fonts(pdf)
    pdf.set_draw_color(30, 80, 160)
    pdf.rect(0.5, 0.5, width - 1, height - 1)
    side = height - 4
    pdf.image(qrcode.make(url, border=1).get_image(), x=2, y=2, w=side, h=side)
    pdf.set_xy(side + 5, 3)
    for number, line in enumerate(lines):
        pdf.set_font(FONT, "B" if number == 0 else "", 8.5 if number == 0 else 7.5)
        pdf.set_x(side + 5)
        pdf.multi_cell(width - side - 8, 3.8, line)
    return bytes(pdf.output())


class _StampPage(content.PdfContent):
    """The stamp PDF's page as the appearance of the signature (pyHanko reads it from bytes)."""

    def __init__(self, data: bytes):
        self.data = data
        super().__init__()

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.data)), 0)
        name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode()
        self.resources.xobject[name] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x2 - x1), height=abs(y2 - y1))
        return name.encode() + b" Do"


def _blank_page() -> generic.DictionaryObject:
    return generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/MediaBox"): generic.ArrayObject([generic.FloatObject(v) for v in (0, 0, *A4)]),
        generic.pdf_name("/Resources"): generic.DictionaryObject(),
    })


def _link(writer: IncrementalPdfFileWriter, rect: tuple[float, ...], url: str) -> None:
    """A link over the QR code, so that a click opens what a phone would scan."""
    annotation = generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
        generic.pdf_name("/Subtype"): generic.pdf_name("/Link"),
        generic.pdf_name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in rect]),
        generic.pdf_name("/Border"): generic.ArrayObject([generic.NumberObject(0)] * 3),
        generic.pdf_name("/A"): generic.DictionaryObject({
            generic.pdf_name("/S"): generic.pdf_name("/URI"),
            generic.pdf_name("/URI"): generic.TextStringObject(url)}),
    })
    page_ref, _resources = writer.find_page_for_modification(-1)
    writer.register_annotation(page_ref, writer.add_object(annotation))


def sign_pdf(data: bytes, identity: SigningIdentity, *, stamp: bytes, reason: str = "",
             location: str = "", new_page: bool = False, link: str = "") -> bytes:
    """The PDF signed (PAdES B-B, SHA-256) with `stamp` as the visible signature: at the foot
    of the last page, or at the top of a page added for it (`new_page`); `link` makes the
    stamp's QR code clickable."""
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(identity.pkcs12, other_certs=[],
                                                       passphrase=identity.passphrase)
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds for a bad input
        raise SigningError(str(exc)) from exc
    if signer is None:
        raise SigningError("the certificate cannot be loaded")
    width, height = STAMP_MM[0] * MM, STAMP_MM[1] * MM
    if new_page:
        writer.insert_page(_blank_page())
        top = A4[1] - 20 * MM
        box = (20 * MM, top - height, 20 * MM + width, top)
    else:
        box = (20 * MM, 16 * MM, 20 * MM + width, 16 * MM + height)
    fields.append_signature_field(writer, fields.SigFieldSpec(FIELD, on_page=-1, box=box))
    if link:
        side = (STAMP_MM[1] - 4) * MM
        _link(writer, (box[0] + 2 * MM, box[1] + 2 * MM, box[0] + 2 * MM + side, box[1] + 2 * MM + side),
              link)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason or None, location=location or None, name=identity.name or None)
    style = StaticStampStyle(background=_StampPage(stamp), border_width=0)
    output = io.BytesIO()
    PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(writer, output=output)
    return output.getvalue()


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def verify_pdf(data: bytes, trust_roots: Sequence[x509.Certificate]) -> Verification:
    """Check the last signature of a PDF: untouched, by a trusted certificate, over the file."""
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - not a PDF at all, or a broken one
        return Verification(signed=False, problem="unreadable")
    if not signatures:
        return Verification(signed=False, problem="not_signed")
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=[_asn1(c) for c in trust_roots], allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception:  # noqa: BLE001 - a corrupted signature container
        log.info("signature validation failed", exc_info=True)
        return Verification(signed=True, problem="altered")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    untouched = _contents_untouched(data, embedded)
    result = Verification(signed=True, intact=bool(status.intact and status.valid and untouched),
                          trusted=bool(status.trusted), whole_file=whole,
                          signer=_signer_name(status), signed_at=status.signer_reported_dt)
    result.valid = result.intact and result.trusted and whole
    result.problem = "" if result.valid else (
        "altered" if not result.intact else "untrusted" if not result.trusted else "partial")
    return result


def _der_length(blob: bytes) -> int | None:
    """Length of the DER element at the start of `blob` (header included)."""
    if len(blob) < 2:
        return None
    first = blob[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 4 or len(blob) < 2 + count:
        return None
    return 2 + count + int.from_bytes(blob[2:2 + count], "big")


def _contents_untouched(data: bytes, embedded) -> bool:
    """The signature container lies outside what it signs: its bytes must be exactly as written
    (upper-case hex of the CMS, then zero padding), or a changed byte there would go unseen."""
    try:
        start, first_len, second_start, _second_len = (int(v) for v in embedded.sig_object["/ByteRange"])
        raw = bytes(embedded.pkcs7_content)
    except Exception:  # noqa: BLE001 - an odd container is not "untouched"
        return False
    used = _der_length(raw)
    if used is None or used > len(raw) or any(raw[used:]):
        return False
    return data[start + first_len:second_start] == b"<" + binascii.hexlify(raw).upper() + b">"


def _signer_name(status) -> str:
    try:
        return status.signing_cert.subject.native.get("common_name", "")
    except Exception:  # noqa: BLE001 - a name is only informative
        return ""
