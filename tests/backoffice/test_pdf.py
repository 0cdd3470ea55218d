"""The PDF builder renders Vietnamese text that a reader can extract again."""
from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from app.documents.pdf import Bullets, Fields, Paragraph, QRCode, Signature, Table, place_date, render_pdf


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_keeps_vietnamese_diacritics_and_header():
    data = render_pdf("GIẤY TIẾP NHẬN HỒ SƠ", {"name": "Ủy ban nhân dân xã Lộc Tấn", "code": "25279"}, [
        Paragraph("Ông/bà Nguyễn Thị Hương nộp hồ sơ Đăng ký khai sinh."),
        Fields([("Mã hồ sơ", "25279-260105-0001"), ("Ngày hẹn trả", dt.date(2026, 2, 5))]),
        Table(["STT", "Tên giấy tờ"], [[1, "Giấy chứng sinh"]]),
        Bullets(["Bản sao giấy tờ tùy thân"]),
        QRCode("https://example.test/lookup?code=25279-260105-0001", "Quét mã để tra cứu"),
        Signature("NGƯỜI TIẾP NHẬN", "Trần Văn Bình", place_date("Lộc Tấn", dt.date(2026, 1, 5))),
    ], number="Số: 12/GTN", dateline=place_date("Lộc Tấn", dt.date(2026, 2, 5)))
    assert data.startswith(b"%PDF")
    text = _text(data)
    assert "Mã đơn vị" not in text  # no form of Decree 30/2020 prints the unit's code
    for expected in ("ỦY BAN NHÂN DÂN XÃ LỘC TẤN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Nguyễn Thị Hương", "Đăng ký khai sinh",
                     "25279-260105-0001", "05/02/2026", "Số: 12/GTN", "Lộc Tấn, ngày 05 tháng 02 năm 2026", "Giấy chứng sinh",
                     "Lộc Tấn, ngày 05 tháng 01 năm 2026", "Trần Văn Bình"):
        assert expected in text, expected


def test_long_text_flows_onto_more_pages():
    data = render_pdf("THỬ", None, [Paragraph("Đoạn văn dài có dấu tiếng Việt. " * 40)] * 10)
    assert len(PdfReader(io.BytesIO(data)).pages) > 1


def test_the_font_is_times_metric_and_shipped_with_its_licence():
    from app.documents.pdf import FONT_DIR, FONT_FILES

    data = render_pdf("THỬ", None, [Paragraph("Ủy ban nhân dân xã Lộc Tấn", italic=True)])
    fonts = {str(f.get("/BaseFont")) for page in PdfReader(io.BytesIO(data)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("LiberationSerif" in name for name in fonts), fonts
    assert all((FONT_DIR / name).is_file() for name in FONT_FILES.values())
    assert "SIL OPEN FONT LICENSE" in (FONT_DIR / "LICENSE-LiberationSerif.txt").read_text()
