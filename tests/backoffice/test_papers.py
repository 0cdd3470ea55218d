"""The papers of Circular 03/2025/TT-VPCP (forms 01-06 and the reasoned refusal): each read back
from its PDF as an officer would read it. Set PAPERS_DUMP=dir to keep the PDFs for a look."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.pdf import place_date, vn_date, vn_moment
from app.dossiers import papers
from app.extensions import db
from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, new_dossier, user

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
DATA = {"requester": {"full_name": "Trần Thị Mai", "address": {"street": "Tổ 3, ấp 1"}}}


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def dump(name: str, data: bytes) -> None:
    folder = os.environ.get("PAPERS_DUMP")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.pdf").write_bytes(data)


def heading_of(text: str, title: str, number: str, dateline: str, centre: bool = True) -> None:
    """The heading every form shares, in the order Decree 30/2020 lays it out (left column, then
    the right one, then the title)."""
    flat = " ".join(text.split())
    unit_lines = ["ỦY BAN NHÂN DÂN XÃ LỘC TẤN", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"] if centre else \
        ["ỦY BAN NHÂN DÂN XÃ LỘC TẤN"]
    order = [*unit_lines, number, *MOTTO, dateline, " ".join(title.split("\n"))]
    positions = [flat.find(part) for part in order]
    assert -1 not in positions, [p for p, i in zip(order, positions, strict=True) if i < 0]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    assert "Mã đơn vị" not in text


@pytest.fixture
def clock(clock, monkeypatch):
    """The lifecycle's clock, the history's too (papers are dated by their event)."""
    from app.dossiers import effects, history

    original = clock.set

    def set_both(moment):
        original(moment)
        monkeypatch.setattr(history, "utcnow", effects.utcnow)

    clock.set = set_both
    return clock


@pytest.fixture
def dossier_code(app, world, clock):
    """A dossier received on 5 February 2026 at 09:30 by the officer Trần Văn Bình."""
    with app.app_context():
        officer = user("officer")
        officer.last_name, officer.first_name = "Trần", "Văn Bình"
        clock.set(at(2026, 2, 5, 9, 30))
        dossier = new_dossier(world, data=DATA, contact_phone="0912345678")
        dossier.unit.phone = "0271 3 123 456"
        db.session.commit()
        act(officer, dossier, "receive")
        return dossier.code


def test_dates_follow_decree_30():
    import datetime as dt

    assert vn_date(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert vn_date(dt.date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"
    assert vn_date(dt.date(2026, 12, 1)) == "ngày 01 tháng 12 năm 2026"
    assert vn_moment(dt.datetime(2026, 1, 9, 8, 5)) == "08 giờ 05 phút, ngày 09 tháng 01 năm 2026"
    assert place_date("Lộc Tấn", dt.date(2026, 11, 20)) == "Lộc Tấn, ngày 20 tháng 11 năm 2026"


def test_receipt_is_form_01(app, client, dossier_code, clock):
    with app.app_context():
        clock.set(at(2026, 4, 20, 10, 0))  # printed later: the paper keeps the day of receipt
        dossier = get(dossier_code)
        data = papers.receipt(dossier)
        dump("01-receipt", data)
        text = text_of(data)
        heading_of(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Số: {dossier_code}/GTN",
                   "Lộc Tấn, ngày 05 tháng 02 năm 2026")
        flat = " ".join(text.split())
        for expected in (
                "Trung tâm Phục vụ hành chính công xã Lộc Tấn tiếp nhận hồ sơ của: ông/bà Trần Thị Mai",
                "Địa chỉ: Tổ 3, ấp 1", "Số điện thoại: 0912345678",
                "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
                "Bản điện tử (khai trực tuyến)", "2. Số lượng hồ sơ: 01 (bộ).",
                "3. Thời gian giải quyết hồ sơ theo quy định: 03 ngày làm việc.",
                "4. Thời gian nhận hồ sơ: 09 giờ 30 phút, ngày 05 tháng 02 năm 2026.",
                "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 10 tháng 02 năm 2026.",
                "Quyển số: 2026", "(Liên 2: Giao người nộp hồ sơ)",
                "Khi đến nhận kết quả, ông/bà mang theo Giấy tiếp nhận này.",
                "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Văn Bình", "Phí, lệ phí: Không thu"):
            assert expected in flat, expected
        assert "Xã Lộc Tấn" not in flat  # "xã" in lower case in running text
        staff_copy = text_of(papers.receipt(dossier, staff=True))
        assert "(Liên 1: Lưu tại Trung tâm Phục vụ hành chính công)" in staff_copy
        assert len(PdfReader(io.BytesIO(papers.receipt(dossier, staff=True))).pages) >= 2


def test_receipt_by_post_has_no_bring_sentence_and_reads_the_register(app, dossier_code):
    with app.app_context():
        dossier = get(dossier_code)
        dossier.delivery_method = "post"
        dossier.delivery_address = {"text": "12 Lê Lợi, xã Lộc Tấn, tỉnh Đồng Nai"}
        dossier.register_number = 17  # the counter branch stores it; papers read it defensively
        text = " ".join(text_of(papers.receipt(dossier)).split())
        assert "mang theo Giấy tiếp nhận" not in text
        assert "Qua dịch vụ bưu chính: 12 Lê Lợi, xã Lộc Tấn, tỉnh Đồng Nai" in text
        assert "Quyển số: 2026, Số thứ tự: 17." in text


def test_supplement_request_is_form_02_with_the_clock_policy(app, dossier_code, clock):
    with app.app_context():
        clock.set(at(2026, 2, 6, 14, 0))
        act(user("officer"), get(dossier_code), "request_supplement",
            note="Bản chụp không đọc được", items=["Giấy chứng sinh (bản chụp rõ nét)"])
        dossier = get(dossier_code)
        data = papers.supplement_request(dossier)
        dump("02-supplement", data)
        text = text_of(data)
        heading_of(text, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", f"Số: {dossier_code}/PBS1",
                   "Lộc Tấn, ngày 06 tháng 02 năm 2026")
        flat = " ".join(text.split())
        for expected in ("1. Giấy chứng sinh (bản chụp rõ nét)", "Lý do: Bản chụp không đọc được",
                         "liên hệ với Trần Văn Bình, số điện thoại 0271 3 123 456",
                         "được tính lại từ đầu", "NGƯỜI HƯỚNG DẪN"):
            assert expected in flat, expected


def test_refusal_to_receive_is_form_03_with_its_legal_basis(app, world, clock):
    with app.app_context():
        clock.set(at(2026, 3, 2, 8, 0))
        dossier = new_dossier(world, data=DATA)
        act(user("officer"), dossier, "reject", note="Thủ tục không thuộc thẩm quyền của xã")
        data = papers.refusal(get(dossier.code))
        dump("03-refusal", data)
        text = text_of(data)
        heading_of(text, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", f"Số: {dossier.code}/PTC",
                   "Lộc Tấn, ngày 02 tháng 3 năm 2026")
        flat = " ".join(text.split())
        assert "Căn cứ" in flat and "Nghị định số 118/2025/NĐ-CP" in flat
        assert "Thủ tục không thuộc thẩm quyền của xã" in flat


def test_apology_is_form_04_with_its_current_title(app, dossier_code, clock):
    with app.app_context():
        act(user("officer"), get(dossier_code), "process")
        clock.set(at(2026, 2, 10, 15, 0))
        act(user("officer"), get(dossier_code), "apologize", note="Chờ kết quả xác minh",
            new_due_date="2026-02-13")
        data = papers.apology(get(dossier_code))
        dump("04-apology", data)
        text = text_of(data)
        heading_of(text, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                   f"Số: {dossier_code}/XL-UBND", "Lộc Tấn, ngày 10 tháng 02 năm 2026", centre=False)
        flat = " ".join(text.split())
        for expected in ("Kính gửi: Ông/bà Trần Thị Mai.", "Ủy ban nhân dân xã Lộc Tấn chưa trả kết quả",
                         "16 giờ 00 phút, ngày 10 tháng 02 năm 2026", "ngày 13 tháng 02 năm 2026",
                         "Lý do: Chờ kết quả xác minh", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN",
                         "Trần Văn Bình"):
            assert expected in flat, expected


def test_stop_and_reasoned_refusal_are_the_agency_letters(app, dossier_code, world, clock):
    with app.app_context():
        clock.set(at(2026, 2, 9, 10, 0))
        act(user("officer"), get(dossier_code), "stop", note="Người yêu cầu đề nghị dừng")
        data = papers.stop_notice(get(dossier_code))
        dump("05-stop", data)
        text = text_of(data)
        heading_of(text, "THÔNG BÁO\nDỪNG GIẢI QUYẾT HỒ SƠ", f"Số: {dossier_code}/TB-UBND",
                   "Lộc Tấn, ngày 09 tháng 02 năm 2026", centre=False)
        flat = " ".join(text.split())
        assert "Căn cứ Nghị định số 118/2025/NĐ-CP" in flat
        assert "Lý do: Người yêu cầu đề nghị dừng" in flat and "Nơi nhận:" in flat

        other = new_dossier(world, data=DATA)
        act(user("officer"), other, "receive")
        act(user("officer"), get(other.code), "process")
        act(user("officer"), get(other.code), "refuse", note="Không đủ điều kiện theo quy định")
        other = get(other.code)
        assert "refused" in papers.available_papers(other, citizen=True)
        data = papers.refusal_notice(other)
        dump("05b-refused", data)
        flat = " ".join(text_of(data).split())
        assert "TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in flat and "Không đủ điều kiện theo quy định" in flat
        assert "khiếu nại hoặc khởi kiện" in flat


def test_control_slip_is_form_06_with_handovers_and_the_deadline_column(app, dossier_code, clock):
    with app.app_context():
        clock.set(at(2026, 2, 5, 10, 0))
        act(user("officer"), get(dossier_code), "process")
        clock.set(at(2026, 2, 11, 9, 0))  # due 10/02: approved a day late
        act(user("officer"), get(dossier_code), "approve", result_text="Đã đăng ký khai sinh")
        data = papers.control_sheet(get(dossier_code))
        dump("06-control", data)
        text = text_of(data)
        heading_of(text, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Số: {dossier_code}/PKS",
                   "Lộc Tấn, ngày 05 tháng 02 năm 2026")
        flat = " ".join(text.split())
        for expected in ("Cơ quan giải quyết hồ sơ", "Cơ quan phối hợp giải quyết hồ sơ",
                         "1. Giao: Người nộp hồ sơ", "Người giao (ký): Trần Thị Mai", "Người nhận (ký): Trần Văn Bình",
                         "Trước hạn", "Quá hạn", "trước hạn/đúng hạn/quá hạn"):
            assert expected in flat, expected
        assert re.search(r"10 giờ 00 phút, ngày 05 tháng 02 năm 2026", flat)


def test_a_certificate_is_never_replaced_by_a_generated_notice(app, client, dossier_code):
    from app.documents.pdf import Paragraph, render_pdf
    from app.dossiers.errors import DossierError
    from tests.helpers import web_login

    with app.app_context():
        dossier = get(dossier_code)
        dossier.procedure.extra = {"result_kind": "certificate"}
        db.session.commit()
        act(user("officer"), dossier, "process")
    web_login(client, "officer")
    page = client.get(f"/backoffice/dossiers/{dossier_code}").get_data(as_text=True)
    assert 'name="result_file" accept="application/pdf" required' in page
    with app.app_context():
        with pytest.raises(DossierError) as refused:
            act(user("officer"), get(dossier_code), "approve", result_text="Đã đăng ký")
        assert refused.value.status == 422 and "/result_file" in str(refused.value.errors)
        db.session.rollback()
        assert get(dossier_code).status == "processing" and not get(dossier_code).results
        act(user("officer"), get(dossier_code), "approve", result_file=render_pdf("GIẤY KHAI SINH", None, [Paragraph("Bản chính")]))
        dossier = get(dossier_code)
        assert dossier.status == "result_ready" and not dossier.results[0].generated


def test_a_notice_procedure_may_still_generate_its_notice(app, dossier_code):
    with app.app_context():
        dossier = get(dossier_code)
        dossier.procedure.extra = {"result_kind": "notice"}
        db.session.commit()
        act(user("officer"), dossier, "process")
        act(user("officer"), get(dossier_code), "approve", result_text="Đã cập nhật thông tin cư trú")
        result = get(dossier_code).results[0]
        assert result.generated


def test_the_definitions_say_which_results_are_certificates():
    import json

    root = Path(__file__).resolve().parents[2] / "forms_schema"
    kinds = {d["code"]: d.get("result_kind") for d in
             (json.loads(p.read_text()) for p in root.glob("*.json"))}
    assert kinds["1.001193"] == kinds["1.000894"] == kinds["1.004873"] == "certificate"
    assert kinds["1.004222"] == "notice"
