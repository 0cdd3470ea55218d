"""The PAdES engine on its own: a signature holds, breaks with any change, needs a trusted root."""
from __future__ import annotations

import pytest
from fpdf import FPDF

from app.documents import testca
from app.documents.credentials import SigningIdentity
from app.documents.signing import render_stamp, sign_pdf, verify_pdf


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 10, "Van ban thu nghiem")
    return bytes(pdf.output())


@pytest.fixture
def signed(app):
    with app.app_context():
        data, passphrase = testca.test_identity("engine-test", "Đơn vị thử nghiệm")
        identity = SigningIdentity(data, passphrase, "Đơn vị thử nghiệm", test=True)
        stamp = render_stamp("https://example.vn/public/verify/x", ["VĂN BẢN ĐÃ KÝ SỐ", "Đơn vị thử nghiệm"])
        return sign_pdf(_pdf(), identity, stamp=stamp, reason="Thử", location="Lộc Tấn"), \
            testca.root_certificate()


def test_a_signed_pdf_verifies_against_its_root(signed):
    data, root = signed
    result = verify_pdf(data, [root])
    assert (result.valid, result.intact, result.trusted, result.whole_file) == (True, True, True, True)
    assert result.signer == "Đơn vị thử nghiệm" and result.signed_at is not None


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -30])
def test_changing_any_byte_breaks_the_signature(signed, where):
    data, root = signed
    index = int(len(data) * where) if where > 0 else len(data) + where
    altered = bytearray(data)
    altered[index] = (altered[index] + 1) % 256
    result = verify_pdf(bytes(altered), [root])
    assert result.valid is False and result.problem in ("altered", "unreadable", "not_signed")


def test_a_signature_by_an_unknown_root_is_not_trusted(signed):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    data, root = signed
    key = ec.generate_private_key(ec.SECP256R1())
    other = (x509.CertificateBuilder().subject_name(root.subject).issuer_name(root.subject)
             .public_key(key.public_key()).serial_number(1).not_valid_before(root.not_valid_before_utc)
             .not_valid_after(root.not_valid_after_utc)
             .add_extension(x509.BasicConstraints(ca=True, path_length=0), True).sign(key, hashes.SHA256()))
    result = verify_pdf(data, [other])
    assert (result.valid, result.intact, result.problem) == (False, True, "untrusted")


def test_an_unsigned_pdf_and_a_non_pdf_are_told_apart():
    assert verify_pdf(_pdf(), []).problem == "not_signed"
    assert verify_pdf(b"MZ\x90\x00not a pdf", []).problem == "unreadable"


def _gap(data: bytes) -> tuple[int, int]:
    import re

    start, first, second, _rest = map(int, re.search(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", data).groups())
    return start + first, second


@pytest.mark.parametrize("change", ["padding", "case", "cms"])
def test_a_change_inside_the_signature_container_is_seen_too(signed, change):
    """(Certificates copied into the container are not signed by it: the public verification
    also compares the whole file's SHA-256 with the one issued.)"""
    data, root = signed
    begin, end = _gap(data)
    altered = bytearray(data)
    hexed = data[begin + 1:end - 1]
    if change == "padding":
        altered[end - 3] = ord("1")  # the zeros after the CMS are not signed by it
    elif change == "case":
        index = begin + 1 + next(i for i, c in enumerate(hexed) if chr(c) in "ABCDEF")
        altered[index] = ord(chr(altered[index]).lower())  # the same bytes once decoded
    else:  # a digit of the signature value, at the end of the CMS
        used = 2 + 2 + int(hexed[4:8], 16)  # 30 82 LL LL
        index = begin + 1 + 2 * (used - 10)
        altered[index] = ord("0") if altered[index] != ord("0") else ord("1")
    assert verify_pdf(bytes(altered), [root]).valid is False
