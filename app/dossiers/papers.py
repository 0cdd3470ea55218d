"""The official papers of Decree 118/2025 (forms of Circular 03/2025), filled from a dossier.

Texts are Vietnamese by law: these are administrative documents, not interface strings.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from flask import current_app
from flask_babel import force_locale

from app.core.moments import clock_text
from app.documents.pdf import (
    Bullets,
    Fields,
    Heading,
    Issuer,
    Paragraph,
    QRCode,
    Reserve,
    Signature,
    Table,
    place_date,
    render_pdf,
)
from app.dossiers.attachments import document_titles
from app.dossiers.fees import money
from app.dossiers.lifecycle import event_label
from app.dossiers.models import Dossier, DossierEvent
from app.dossiers.status import status_label
from app.security.names import full_name
from app.workdays import LOCAL_TZ

DELIVERY_VI = {"office": "Nhận trực tiếp tại Trung tâm Phục vụ hành chính công", "post": "Qua dịch vụ bưu chính",
               "online": "Trực tuyến (bản điện tử)"}
def _vi(label: Callable[[str], str], value: str) -> str:
    """A status or history label in Vietnamese, the language of official papers."""
    with force_locale("vi"):
        return label(value) if value else ""


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LOCAL_TZ)


def applicant_name(dossier: Dossier) -> str:
    """The requester's name from the form, else the walk-in's (counter), else the account's."""
    data = dossier.data or {}
    for key in ("requester", "registrant", "subject"):
        part = data.get(key)
        if isinstance(part, dict) and part.get("full_name"):
            return str(part["full_name"])
    if data.get("full_name"):
        return str(data["full_name"])
    return dossier.applicant_name or full_name(dossier.applicant)


def issuer_name(dossier: Dossier) -> str:
    """The authority that issues the dossier's papers and results."""
    return f"Ủy ban nhân dân {dossier.unit.running_name}"


def _issuer(dossier: Dossier) -> Issuer:
    unit = dossier.unit
    parent = unit.parent.name if unit.parent is not None else ""
    return Issuer(name=issuer_name(dossier), code=unit.code, parent=parent,
                  extra=[unit.centre])


def _place(dossier: Dossier) -> str:
    name = dossier.unit.name
    for prefix in ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ", "Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def register_line(dossier: Dossier) -> str:
    """"Số: 15, quyển số: 2026" — the line of the unit's tracking register (Mẫu 07)."""
    if dossier.register_number is None:
        return ""
    return f"Số: {dossier.register_number}, quyển số: {dossier.register_year}"


def _last_event(dossier: Dossier, action: str) -> DossierEvent | None:
    events = [e for e in dossier.events if e.action == action]
    return events[-1] if events else None


def _basics(dossier: Dossier) -> Fields:
    return Fields([("Mã hồ sơ", dossier.code), ("Người nộp hồ sơ", applicant_name(dossier)),
                   ("Số điện thoại", dossier.contact_phone), ("Thủ tục", dossier.procedure.name)])


def _today(dossier: Dossier) -> str:
    return place_date(_place(dossier), dt.datetime.now(LOCAL_TZ).date())


def document_rows(dossier: Dossier) -> list[list[str]]:
    """One row per attached file, titled by the procedure's list of required documents."""
    titles = document_titles(dossier)
    return [[str(i), titles.get(a.document_key, a.document_key), a.filename, "1"]
            for i, a in enumerate(dossier.attachments, start=1)]


def receipt(dossier: Dossier) -> bytes:
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with a QR code to the public lookup."""
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    url = f"{base}/lookup?code={dossier.code}"
    rows = document_rows(dossier)
    return render_pdf("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", _issuer(dossier), [
        Paragraph(f"{dossier.unit.centre} đã tiếp nhận hồ sơ của ông/bà "
                  f"{applicant_name(dossier)}."),
        _basics(dossier),
        Fields([("Địa chỉ thư điện tử", dossier.contact_email),
                ("Số vào sổ theo dõi hồ sơ", register_line(dossier)),
                ("Thời gian tiếp nhận", clock_text(dossier.received_at)),
                ("Thời gian hẹn trả kết quả", clock_text(dossier.due_at) if dossier.due_at
                 else dossier.due_date),
                ("Hình thức nhận kết quả", DELIVERY_VI.get(dossier.delivery_method, ""))]),
        Heading("Thành phần hồ sơ đã nhận"),
        Table(["STT", "Tên giấy tờ", "Tệp", "Số lượng"], rows or [["", "(Tờ khai trực tuyến)", "", "1"]],
              widths=(8, 52, 30, 12)),
        *fee_blocks(dossier),
        Paragraph("Khi đến nhận kết quả, ông/bà mang theo Giấy tiếp nhận này. Tra cứu tình trạng "
                  "hồ sơ bằng mã hồ sơ hoặc quét mã QR dưới đây."),
        QRCode(url, f"Tra cứu hồ sơ: {url}"),
        Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", _actor_name(_last_event(dossier, "receive")),
                  _today(dossier)),
    ])


PAYMENT_VI = {"none": "Không phải nộp", "unpaid": "Chưa nộp", "pending": "Đang chờ ngân hàng xác nhận",
              "paid": "Đã nộp", "exempt": "Được miễn", "refunded": "Đã hoàn trả"}


def fee_blocks(dossier: Dossier) -> list:
    """The itemised fee (phí, lệ phí) and what was paid, as the papers show it."""
    if not dossier.fee_items:
        return [Fields([("Phí, lệ phí", "Không thu")])]
    rows = [[str(i), item.get("label", ""), str(item.get("quantity") or 1) if item.get("unit_amount") else "",
             money(item["unit_amount"]) if item.get("unit_amount") else "", money(item.get("amount"))]
            for i, item in enumerate(dossier.fee_items, start=1)]
    rows.append(["", "Tổng cộng", "", "", money(dossier.fee)])
    return [Heading("Phí, lệ phí"),
            Table(["STT", "Khoản thu", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)"], rows,
                  widths=(8, 50, 12, 16, 18)),
            Fields([("Đã nộp", f"{money(dossier.fee_paid)} đồng"),
                    ("Tình trạng nộp phí", PAYMENT_VI.get(dossier.payment_status, dossier.payment_status))])]


def _actor_name(event: DossierEvent | None) -> str:
    actor = event.actor if event is not None else None
    return full_name(actor)


def supplement_request(dossier: Dossier) -> bytes:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    event = _last_event(dossier, "request_supplement")
    items = list(dossier.supplement_items or []) or ["(Theo nội dung nêu dưới đây)"]
    return render_pdf("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", _issuer(dossier), [
        Paragraph(f"{dossier.unit.centre} đã nhận hồ sơ của ông/bà "
                  f"{applicant_name(dossier)}. Sau khi kiểm tra, hồ sơ cần bổ sung, hoàn thiện "
                  "những nội dung sau:"),
        _basics(dossier),
        Heading("Nội dung yêu cầu bổ sung, hoàn thiện"),
        Bullets(items),
        Fields([("Lý do", event.note if event else "")]),
        Paragraph(f"Ông/bà vui lòng bổ sung hồ sơ trên Cổng dịch vụ công hoặc tại {dossier.unit.centre}. "
                  "Thời hạn giải quyết được tính lại từ khi hồ sơ đầy đủ được tiếp nhận."),
        Signature("NGƯỜI HƯỚNG DẪN", _actor_name(event), _today(dossier)),
    ])


def refusal(dossier: Dossier) -> bytes:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    event = _last_event(dossier, "reject")
    return render_pdf("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", _issuer(dossier), [
        Paragraph(f"{dossier.unit.centre} từ chối tiếp nhận hồ sơ của ông/bà "
                  f"{applicant_name(dossier)} vì lý do nêu dưới đây."),
        _basics(dossier),
        Fields([("Lý do từ chối", event.note if event else "")]),
        Paragraph("Xin thông báo để ông/bà được biết và thực hiện."),
        Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", _actor_name(event), _today(dossier)),
    ])


def apology(dossier: Dossier) -> bytes:
    """Văn bản xin lỗi và hẹn lại ngày trả kết quả (đề nghị gia hạn)."""
    event = _last_event(dossier, "apologize")
    return render_pdf("VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", _issuer(dossier), [
        Paragraph(f"Ngày {_local(dossier.received_at):%d/%m/%Y}, {dossier.unit.centre} đã tiếp nhận hồ sơ "
                  f"của ông/bà {applicant_name(dossier)}, hẹn trả kết quả ngày "
                  f"{dossier.original_due_date:%d/%m/%Y}." if dossier.received_at and
                  dossier.original_due_date else f"{dossier.unit.centre} đã tiếp nhận hồ sơ của ông/bà "
                  f"{applicant_name(dossier)}."),
        _basics(dossier),
        Fields([("Lý do chậm trễ", event.note if event else ""),
                ("Ngày hẹn trả kết quả mới", dossier.due_date)]),
        Paragraph("Việc giải quyết hồ sơ đã quá thời hạn theo quy định. Cơ quan giải quyết thành thật "
                  "xin lỗi ông/bà vì sự chậm trễ này và hẹn lại ngày trả kết quả như trên."),
        Signature("THỦ TRƯỞNG CƠ QUAN", "", _today(dossier)),
    ])


def stop_notice(dossier: Dossier) -> bytes:
    """Thông báo về việc dừng giải quyết hồ sơ."""
    event = _last_event(dossier, "stop")
    return render_pdf("THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ", _issuer(dossier), [
        Paragraph(f"Cơ quan giải quyết thông báo dừng giải quyết hồ sơ của ông/bà "
                  f"{applicant_name(dossier)}."),
        _basics(dossier),
        Fields([("Thời gian tiếp nhận", _local(dossier.received_at)),
                ("Lý do dừng giải quyết", event.note if event else "")]),
        Signature("THỦ TRƯỞNG CƠ QUAN", "", _today(dossier)),
    ])


def control_sheet(dossier: Dossier) -> bytes:
    """Phiếu kiểm soát quá trình giải quyết hồ sơ: every step, its time and officer."""
    rows = []
    for event in dossier.events:
        if event.action == "note":
            continue
        rows.append([_local(event.created_at), _vi(event_label, event.action),
                     _vi(status_label, event.status_after or ""), _actor_name(event),
                     event.note or ""])
    return render_pdf("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", _issuer(dossier), [
        _basics(dossier),
        Fields([("Thời gian tiếp nhận", _local(dossier.received_at)),
                ("Ngày hẹn trả kết quả", dossier.due_date),
                ("Trạng thái", _vi(status_label, dossier.status))]),
        Heading("Quá trình giải quyết"),
        Table(["Thời gian", "Bước", "Trạng thái", "Người thực hiện", "Ghi chú"], rows,
              widths=(22, 22, 20, 18, 30)),
        Signature("NGƯỜI LẬP PHIẾU", "", _today(dossier)),
    ])


def result_notice(dossier: Dossier, text: str = "") -> bytes:
    """A generated result notice when the officer uploads no PDF; the foot of its last page is
    kept free for the signature stamp."""
    return render_pdf("THÔNG BÁO KẾT QUẢ GIẢI QUYẾT HỒ SƠ", _issuer(dossier), [
        _basics(dossier),
        Paragraph(text or f"Hồ sơ đã được giải quyết. Kết quả: {dossier.procedure.result or ''}"),
        Signature("THỦ TRƯỞNG CƠ QUAN", "", _today(dossier)),
        Reserve(55),
    ])


# kind → (builder, file stem, addressed to the citizen, available for the dossier?)
PAPERS: dict[str, tuple[Callable[[Dossier], bytes], str, bool, Callable[[Dossier], Any]]] = {
    "receipt": (receipt, "giay-tiep-nhan", True, lambda d: d.received_at is not None),
    "supplement": (supplement_request, "phieu-yeu-cau-bo-sung", True,
                   lambda d: _last_event(d, "request_supplement") is not None),
    "refusal": (refusal, "phieu-tu-choi-tiep-nhan", True, lambda d: d.status == "rejected"),
    "apology": (apology, "van-ban-xin-loi", True, lambda d: d.apologized_at is not None),
    "stop": (stop_notice, "thong-bao-dung-giai-quyet", True, lambda d: d.status == "stopped"),
    "control": (control_sheet, "phieu-kiem-soat", False, lambda d: d.received_at is not None),
}
PAPER_TITLES = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "apology": "Văn bản xin lỗi và hẹn lại ngày trả kết quả",
    "stop": "Thông báo dừng giải quyết hồ sơ",
    "control": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


def available_papers(dossier: Dossier, *, citizen: bool) -> list[str]:
    """Kinds of papers that exist for the dossier (only those addressed to them for citizens)."""
    return [kind for kind, (_b, _s, public, ready) in PAPERS.items()
            if ready(dossier) and (public or not citizen)]
