"""Sample files and a valid birth registration for the portal tests."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIRTH_DEFINITION = ROOT / "forms_schema" / "1.001193-dang-ky-khai-sinh.json"
BIRTH_CODE = "1.001193"


def pdf_bytes(text: str = "Giay chung sinh") -> bytes:
    """A small but real PDF document."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body +
            b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    """A 1×1 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def fake_pdf_bytes() -> bytes:
    """A Windows executable header: what a file renamed to .pdf may really be."""
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def upload(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def birth_data() -> dict:
    """A declaration that satisfies the birth registration schema (Vietnamese parents, paper notice)."""
    parent = {"ethnicity": "Kinh", "nationality": "VN", "id_type": "cccd"}
    return {
        "requester": {"full_name": "Nguyễn Văn An", "id_type": "cccd", "citizen_id": "075090001234",
                      "relationship": "cha"},
        "child": {"full_name": "Nguyễn Thị Bé", "gender": "nu", "date_of_birth": "2026-10-01",
                  "place_of_birth": "Trạm y tế xã Lộc Tấn", "ethnicity": "Kinh",
                  "nationality": "VN", "hometown": "Đồng Nai"},
        "mother_known": True,
        "mother": {**parent, "full_name": "Trần Thị Bình", "birth_year": 1995,
                   "citizen_id": "075195001234"},
        "birth_notice": "ban_giay",
        "father_known": True,
        "father": {**parent, "full_name": "Nguyễn Văn An", "birth_year": 1990,
                   "citizen_id": "075090001234"},
        "copies": 1,
    }
