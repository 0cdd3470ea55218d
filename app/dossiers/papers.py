"""The official papers of Decree 118/2025 (forms of Circular 03/2025/TT-VPCP), filled from a
dossier, laid out as Decree 30/2020 prescribes (app.documents.pdf).

Texts are Vietnamese by law: these are administrative documents, not interface strings. Every
paper is dated on the day of its event (receipt, supplement request, refusal…), never the day
it is printed. Forms 01, 02, 03 and 06 are the centre's (Trung tâm Phục vụ hành chính công under
the commune's People's Committee); 04, 05, the reasoned refusal and the result notice are the
processing agency's (the People's Committee itself). The register (Mẫu 07) is in its own module.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from flask import current_app
from flask_babel import force_locale

from app.calendar import supplement_policy
from app.documents.pdf import (
    Bullets,
    Fields,
    Issuer,
    PageBreak,
    Paragraph,
    QRCode,
    Recipients,
    Reserve,
    Signature,
    Signatures,
    Table,
    place_date,
    render_pdf,
    vn_date,
    vn_moment,
)
from app.dossiers.attachments import document_titles
from app.dossiers.fees import money
from app.dossiers.linked import parts
from app.dossiers.models import Dossier, DossierEvent
from app.security.names import full_name
from app.units.operations import unit_name
from app.workdays import LOCAL_TZ

CENTRE = "Trung tâm Phục vụ hành chính công"
DECREE_118 = ("Nghị định số 118/2025/NĐ-CP của Chính phủ về thực hiện thủ tục hành chính theo "
              "cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa và Cổng Dịch vụ công quốc gia")
DIVISIONS = ("Thị trấn ", "Đặc khu ", "Thành phố ", "Xã ", "Phường ", "Tỉnh ", "Huyện ", "Quận ",
             "Thị xã ")
DELIVERY_VI = {"office": "Nhận trực tiếp tại {centre}", "post": "Qua dịch vụ bưu chính: {address}",
               "online": "Trực tuyến (bản điện tử trên Cổng dịch vụ công)"}
PAYMENT_VI = {"none": "Không phải nộp", "unpaid": "Chưa nộp", "pending": "Đang chờ ngân hàng xác nhận",
              "paid": "Đã nộp", "exempt": "Được miễn", "refunded": "Đã hoàn trả"}
SIGN_HINT = "(Ký và ghi rõ họ tên)"
HEAD_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"
DOTS = "…………………"


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


# --- names of people, units and places -------------------------------------------------------

def applicant_name(dossier: Dossier) -> str:
    """The requester's name from the form, else the walk-in's (counter), else the account's."""
    data = dossier.data or {}
    for key in ("requester", "registrant", "subject"):
        part = data.get(key)
        if isinstance(part, dict) and part.get("full_name"):
            return str(part["full_name"])
    if data.get("full_name"):
        return str(data["full_name"])
    return getattr(dossier, "applicant_name", None) or full_name(dossier.applicant)


def running_name(name: str) -> str:
    """A unit's name as running text writes it: 'xã Lộc Tấn', 'phường Bến Nghé', 'tỉnh Đồng Nai'."""
    for prefix in DIVISIONS:
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix):]
    return name


def _place(unit: Any) -> str:
    """The place name of a dateline: the unit's name without its kind (Decree 30/2020)."""
    name = unit.name
    for prefix in DIVISIONS:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def issuer_name(dossier: Dossier) -> str:
    """The authority that issues the dossier's results: 'Ủy ban nhân dân xã Lộc Tấn'."""
    return f"Ủy ban nhân dân {running_name(dossier.unit.name)}"


def centre_name(unit: Any) -> str:
    """The unit's one-stop centre as the unit calls it (configurable per unit)."""
    return getattr(unit, "centre_name", None) or CENTRE


def centre_running(unit: Any) -> str:
    """'Trung tâm Phục vụ hành chính công xã Lộc Tấn' in running text."""
    name = centre_name(unit)
    if name == CENTRE:
        return f"{name} {running_name(unit.name)}"
    return name


def centre_issuer(dossier: Dossier) -> Issuer:
    """People's Committee (upright) over the centre (bold), as the centre's forms head."""
    return Issuer(parent=issuer_name(dossier), name=centre_name(dossier.unit), code=dossier.unit.code)


def agency_issuer(dossier: Dossier) -> Issuer:
    """The processing agency, the commune's People's Committee: 'ỦY BAN NHÂN DÂN / XÃ LỘC TẤN'."""
    return Issuer(name=f"Ủy ban nhân dân\n{dossier.unit.name}", code=dossier.unit.code)


def agency_for(procedure: Any, unit: Any) -> str:
    """The agency that settles a procedure at a unit, by name: 'Ủy ban nhân dân xã Lộc Tấn',
    'Công an xã Lộc Tấn' (from the definition's "… cấp xã"), else the definition's agency as
    it is ('Bảo hiểm xã hội'), else the unit's People's Committee."""
    text = re.split(r"[(;]", getattr(procedure, "agency", None) or "", maxsplit=1)[0].strip()
    found = re.match(r"^(.*?)\s*cấp xã\b", text)
    if found and found.group(1):
        return f"{found.group(1)} {running_name(unit.name)}"
    if text and ":" not in text:
        return text.rstrip(",")
    return f"Ủy ban nhân dân {running_name(unit.name)}"


def agency_name(dossier: Dossier) -> str:
    """The agency that settles the dossier, by name: the commune's People's Committee."""
    return issuer_name(dossier)


def _address(value: Any) -> str:
    """'Tổ 3, ấp 1, xã Lộc Tấn, tỉnh Đồng Nai' from a form address {unit, street} or a text."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return ""
    if value.get("text"):
        return str(value["text"])
    parts = [str(value.get("street") or "").strip()]
    code = value.get("unit")
    if code:
        name = unit_name(str(code)) or str(code)
        parts.append(name)
    return ", ".join(p for p in parts if p)


def applicant_address(dossier: Dossier) -> str:
    data = dossier.data or {}
    for key in ("requester", "registrant", "subject"):
        part = data.get(key)
        if isinstance(part, dict) and part.get("address"):
            return _address(part["address"])
    if data.get("address"):
        return _address(data["address"])
    return _address(dossier.delivery_address or {})


def _last_event(dossier: Dossier, action: str) -> DossierEvent | None:
    events = [e for e in dossier.events if e.action == action]
    return events[-1] if events else None


def _actor_name(event: DossierEvent | None) -> str:
    return full_name(event.actor if event is not None else None)


def _event_day(dossier: Dossier, event: DossierEvent | None, fallback: dt.datetime | None = None) -> dt.date:
    """The day of the paper's event (the receipt, the request…), never the print date."""
    moment = _local(event.created_at if event is not None else None) or _local(fallback)
    return (moment or dt.datetime.now(LOCAL_TZ)).date()


def _dateline(dossier: Dossier, day: dt.date) -> str:
    return place_date(_place(dossier.unit), day)


def _number(dossier: Dossier, suffix: str) -> str:
    return f"Số: {dossier.code}/{suffix}"


def appointment(dossier: Dossier) -> dt.datetime | None:
    """When the result is promised: the dossier's appointment time if it has one, else its due
    date at the hour the office hands results back (DOSSIER_APPOINTMENT_TIME, default 16:00)."""
    due_at = getattr(dossier, "due_at", None)
    if due_at is not None:
        return _local(due_at)
    if dossier.due_date is None:
        return None
    hour, minute = (int(x) for x in str(current_app.config.get("DOSSIER_APPOINTMENT_TIME") or "16:00").split(":"))
    return dt.datetime.combine(dossier.due_date, dt.time(hour, minute), tzinfo=LOCAL_TZ)


def _when(moment: dt.datetime | None) -> str:
    return vn_moment(moment) if moment is not None else DOTS


def _request_lines(dossier: Dossier) -> list[tuple[str, Any]]:
    return [("Địa chỉ", applicant_address(dossier) or DOTS),
            ("Số điện thoại", f"{dossier.contact_phone or DOTS}    Thư điện tử: {dossier.contact_email or DOTS}"),
            ("Nội dung yêu cầu giải quyết", dossier.procedure.name)]


def _legal_basis(dossier: Dossier) -> str:
    basis = [str(b) for b in (dossier.procedure.legal_basis or []) if b]
    return "; ".join(basis[:3]) if basis else "quy định của pháp luật về thủ tục hành chính này"


# --- Mẫu 01: receipt and appointment ---------------------------------------------------------

def document_rows(dossier: Dossier) -> list[list[str]]:
    """The declaration itself, then one row per attached file, with its form (original, copy)."""
    version = dossier.procedure_version
    form_title = ((version.schema or {}).get("title") if version is not None else None) or \
        f"Tờ khai {dossier.procedure.name.lower()}"
    counter = getattr(dossier, "channel", "online") == "counter"
    rows = [["1", form_title, "Bản chính" if counter else "Bản điện tử (khai trực tuyến)", "01"]]
    titles = document_titles(dossier)
    kinds = {d.get("key"): d.get("form") for d in (version.required_documents or [])} if version else {}
    for number, attachment in enumerate(dossier.attachments, start=2):
        form = kinds.get(attachment.document_key)
        kind = {"original": "Bản chính", "copy": "Bản sao", "certified_copy": "Bản sao có chứng thực"}.get(
            form or "", "Bản chụp (bản điện tử)" if not counter else "Bản chụp (số hóa tại Trung tâm)")
        rows.append([str(number), titles.get(attachment.document_key, attachment.document_key), kind, "01"])
    return rows


# What the papers say of how the fee was paid: providers registered from above the dossier
# domain (app.payments: each receipt's number and how it was paid, "biên lai số …, tiền mặt").
PaymentNotes = Callable[[Dossier], list[str]]
PAYMENT_NOTES: list[PaymentNotes] = []


def payment_notes(fn: PaymentNotes) -> PaymentNotes:
    """Register a provider of short notes about the dossier's payments."""
    if fn not in PAYMENT_NOTES:
        PAYMENT_NOTES.append(fn)
    return fn


def payment_text(dossier: Dossier) -> str:
    """'Đã nộp 15.000 đồng; biên lai số 0000001/BL-25279-26, tiền mặt', or 'Chưa nộp'…"""
    paid, due = dossier.fee_paid or 0, max(0, (dossier.fee or 0) - (dossier.fee_paid or 0))
    if not paid:
        return PAYMENT_VI.get(dossier.payment_status, dossier.payment_status)
    text = f"Đã nộp {money(paid)} đồng" + (f", còn phải nộp {money(due)} đồng" if due else "")
    notes = [note for provider in PAYMENT_NOTES for note in provider(dossier)]
    return "; ".join([text, *notes])


def fee_blocks(dossier: Dossier) -> list:
    """The fee (phí, lệ phí: one line, or a table of its items) and what was paid."""
    if not dossier.fee_items:
        return [Fields([("Phí, lệ phí", "Không thu")])]
    status = ("Tình trạng nộp phí", payment_text(dossier))
    items = dossier.fee_items
    if len(items) == 1 and (items[0].get("amount") or 0) > 0:  # one line says it all
        item, count = items[0], int(items[0].get("quantity") or 1)
        label = str(item.get("label", "")).removeprefix("Phí, lệ phí: ")
        each = f", {count:02d} × {money(item['unit_amount'])} đồng" if item.get("unit_amount") and count > 1 else ""
        return [Fields([("Phí, lệ phí", f"{money(dossier.fee)} đồng ({label}{each})"), status])]
    rows = [[str(i), item.get("label", ""), str(item.get("quantity") or 1) if item.get("unit_amount") else "",
             money(item["unit_amount"]) if item.get("unit_amount") else "", money(item.get("amount"))]
            for i, item in enumerate(items, start=1)]
    rows.append(["", "Tổng cộng", "", "", money(dossier.fee)])
    return [Paragraph("Phí, lệ phí:"),
            Table(["STT", "Khoản thu", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)"], rows,
                  widths=(8, 50, 12, 16, 18)),
            Fields([status])]


def _register_line(dossier: Dossier) -> str:
    received = _local(dossier.received_at)
    volume = getattr(dossier, "register_year", None) or (received.year if received else DOTS)
    number = getattr(dossier, "register_number", None) or DOTS
    return f"Vào Sổ theo dõi hồ sơ, Quyển số: {volume}, Số thứ tự: {number}."


def _delivery(dossier: Dossier) -> str:
    template = DELIVERY_VI.get(dossier.delivery_method, DELIVERY_VI["office"])
    return template.format(centre=centre_running(dossier.unit),
                           address=_address(dossier.delivery_address or {}) or DOTS)


def receipt(dossier: Dossier, *, staff: bool = False) -> bytes:
    """Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả: the applicant's copy, and for the office
    the copy kept with the dossier on a second page."""
    event = _last_event(dossier, "receive")
    received = _local(dossier.received_at)
    days = dossier.procedure.processing_days or 0
    processing = f"{days:02d} ngày làm việc" if days else "Trong ngày làm việc"
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    url = f"{base}/lookup?code={dossier.code}"
    body = [
        Paragraph(f"{centre_running(dossier.unit)} tiếp nhận hồ sơ của: ông/bà {applicant_name(dossier)}"),
        Fields(_request_lines(dossier)),
        Paragraph("1. Thành phần hồ sơ nộp gồm:"),
        Table(["TT", "Tên loại giấy tờ", "Hình thức (bản chính, bản sao, bản điện tử)", "Số lượng"],
              document_rows(dossier), widths=(7, 55, 28, 10)),
        Paragraph("2. Số lượng hồ sơ: 01 (bộ)."),
        Paragraph(f"3. Thời gian giải quyết hồ sơ theo quy định: {processing}."),
        Paragraph(f"4. Thời gian nhận hồ sơ: {_when(received)}."),
        Paragraph(f"5. Thời gian trả kết quả giải quyết hồ sơ: {_when(appointment(dossier))}."),
        Paragraph(f"6. Đăng ký nhận kết quả: {_delivery(dossier)}."),
        *fee_blocks(dossier),
        Paragraph(_register_line(dossier)),
    ]
    if dossier.delivery_method == "office":
        body.append(Paragraph("Khi đến nhận kết quả, ông/bà mang theo Giấy tiếp nhận này.", italic=True))
    body += [QRCode(url, f"Tra cứu tình trạng hồ sơ: {url}", size_mm=22),
             Signatures(Signature("NGƯỜI NỘP HỒ SƠ", applicant_name(dossier) if dossier.channel == "counter" else "",
                                  hint=SIGN_HINT if dossier.channel == "counter" else "(Nộp trực tuyến)"),
                        Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", _actor_name(event), hint=SIGN_HINT))]
    number = _number(dossier, "GTN")
    blocks = list(body)
    if staff:
        blocks += [PageBreak(note=f"Mã hồ sơ: {dossier.code}\n(Liên 1: Lưu tại {centre_name(dossier.unit)})"),
                   *body]
    return render_pdf("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", centre_issuer(dossier), blocks,
                      subtitle=f"Mã hồ sơ: {dossier.code}\n(Liên 2: Giao người nộp hồ sơ)",
                      number=number, dateline=_dateline(dossier, _event_day(dossier, event, dossier.received_at)))


# --- Mẫu 02: supplement request ---------------------------------------------------------------

def supplement_request(dossier: Dossier, *, staff: bool = False) -> bytes:
    """Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    event = _last_event(dossier, "request_supplement")
    items = list((event.payload or {}).get("items") or []) if event is not None else []
    items = items or list(dossier.supplement_items or []) or [event.note if event and event.note else DOTS]
    rounds = dossier.supplement_rounds or 1
    unit = dossier.unit
    contact = _actor_name(event) or centre_running(unit)
    phone = unit.phone or DOTS
    if supplement_policy(unit) == "resume":
        clock = ("Thời gian giải quyết tạm dừng từ ngày yêu cầu bổ sung và tiếp tục được tính "
                 "(số ngày làm việc còn lại) khi nhận đủ hồ sơ đã bổ sung, hoàn thiện.")
    else:
        clock = ("Thời gian giải quyết được tính lại từ đầu kể từ khi nhận đủ hồ sơ đã bổ sung, "
                 "hoàn thiện.")
    where = ("trên Cổng dịch vụ công (mục Hồ sơ của tôi) hoặc trực tiếp tại "
             f"{centre_running(unit)}" + (f", {unit.address}" if unit.address else ""))
    return render_pdf("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", centre_issuer(dossier), [
        Fields([("Hồ sơ của", f"ông/bà {applicant_name(dossier)}"), *_request_lines(dossier),
                ("Thời gian tiếp nhận hồ sơ", _when(_local(dossier.received_at or dossier.submitted_at)))]),
        Paragraph("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:"),
        Bullets([str(i) for i in items], numbered=True),
        Fields([("Lý do", (event.note if event else "") or DOTS)]),
        Paragraph(f"Ông/bà bổ sung, hoàn thiện hồ sơ {where}. {clock}", indent=True),
        Paragraph(f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ với "
                  f"{contact}, số điện thoại {phone} để được hướng dẫn./.", indent=True),
        Signatures(None, Signature("NGƯỜI HƯỚNG DẪN", _actor_name(event), hint=SIGN_HINT)),
    ], subtitle=f"Mã hồ sơ: {dossier.code}", number=_number(dossier, f"PBS{rounds}"),
        dateline=_dateline(dossier, _event_day(dossier, event)))


# --- Mẫu 03: refusal to receive ---------------------------------------------------------------

def refusal(dossier: Dossier, *, staff: bool = False) -> bytes:
    """Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ, with its legal basis."""
    event = _last_event(dossier, "reject")
    centre = centre_running(dossier.unit)
    return render_pdf("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", centre_issuer(dossier), [
        Paragraph(f"{centre} nhận được hồ sơ của: ông/bà {applicant_name(dossier)}"),
        Fields(_request_lines(dossier)),
        Fields([("Thời gian nộp hồ sơ", _when(_local(dossier.submitted_at)))]),
        Paragraph(f"Căn cứ {_legal_basis(dossier)} và {DECREE_118}, {centre} từ chối tiếp nhận hồ sơ "
                  "này với lý do cụ thể như sau:", indent=True),
        Paragraph((event.note if event else "") or DOTS, indent=True),
        Paragraph("Xin thông báo để ông/bà được biết và thực hiện./.", indent=True),
        Signatures(None, Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", _actor_name(event), hint=SIGN_HINT)),
    ], subtitle=f"Mã hồ sơ: {dossier.code}", number=_number(dossier, "PTC"),
        dateline=_dateline(dossier, _event_day(dossier, event)))


# --- the processing agency's letters: 04, 05, reasoned refusal, result notice ----------------

def _head_signature(dossier: Dossier, event: DossierEvent | None) -> Signature:
    """'TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH' with the head's name where the unit records one, else
    the officer who issued the letter in the system, under the agency's own heading."""
    unit = dossier.unit
    head = getattr(unit, "head_name", None)
    if head:
        title = getattr(unit, "head_title", None) or "CHỦ TỊCH"
        return Signature(f"TM. ỦY BAN NHÂN DÂN\n{title.upper()}", head, hint=HEAD_HINT)
    return Signature("TM. ỦY BAN NHÂN DÂN", _actor_name(event) or DOTS, hint=HEAD_HINT)


def _recipients(dossier: Dossier) -> Recipients:
    return Recipients(["Như trên;", f"{centre_running(dossier.unit)};", "Lưu: VT, hồ sơ."])


def _addressee(dossier: Dossier) -> Paragraph:
    return Paragraph(f"Kính gửi: Ông/bà {applicant_name(dossier)}.", align="C")


def _received_sentence(dossier: Dossier) -> str:
    received = _local(dossier.received_at)
    when = vn_date(received.date()).capitalize() if received else "Ngày …"
    return (f"{when}, {centre_running(dossier.unit)} tiếp nhận hồ sơ của ông/bà đề nghị giải quyết "
            f"thủ tục {dossier.procedure.name} (mã hồ sơ {dossier.code}).")


def apology(dossier: Dossier, *, staff: bool = False) -> bytes:
    """Mẫu 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết."""
    event = _last_event(dossier, "apologize")
    agency = agency_name(dossier)
    original = dossier.original_due_date
    promised = dt.datetime.combine(original, appointment(dossier).timetz()) if original and appointment(dossier) else None
    return render_pdf("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", agency_issuer(dossier), [
        _addressee(dossier),
        Paragraph(_received_sentence(dossier), indent=True),
        Paragraph(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {_when(promised)}.", indent=True),
        Paragraph(f"Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của ông/bà đúng thời "
                  "hạn ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.", indent=True),
        Paragraph(f"Lý do: {(event.note if event else '') or DOTS}", indent=True),
        Paragraph(f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {agency} xin lỗi ông/bà và đề nghị gia "
                  f"hạn thời gian giải quyết hồ sơ; kết quả giải quyết hồ sơ sẽ được trả cho ông/bà vào "
                  f"{_when(appointment(dossier))}.", indent=True),
        Paragraph("Trân trọng cảm ơn sự hợp tác của ông/bà./.", indent=True),
        Signatures(_recipients(dossier), _head_signature(dossier, event)),
    ], number=_number(dossier, "XL-UBND"), dateline=_dateline(dossier, _event_day(dossier, event)))


def stop_notice(dossier: Dossier, *, staff: bool = False) -> bytes:
    """Mẫu 05 Thông báo dừng giải quyết hồ sơ: number, basis, agency, signer."""
    event = _last_event(dossier, "stop")
    agency = agency_name(dossier)
    return render_pdf("THÔNG BÁO\nDỪNG GIẢI QUYẾT HỒ SƠ", agency_issuer(dossier), [
        _addressee(dossier),
        Paragraph(f"Căn cứ {DECREE_118};", indent=True),
        Paragraph(f"Căn cứ {_legal_basis(dossier)};", indent=True),
        Paragraph(_received_sentence(dossier), indent=True),
        Paragraph(f"{agency} thông báo dừng giải quyết hồ sơ nêu trên. "
                  f"Lý do: {(event.note if event else '') or DOTS}", indent=True),
        Paragraph(f"{agency} thông báo để ông/bà được biết./.", indent=True),
        Signatures(_recipients(dossier), _head_signature(dossier, event)),
    ], number=_number(dossier, "TB-UBND"), dateline=_dateline(dossier, _event_day(dossier, event)))


def refusal_notice(dossier: Dossier, *, staff: bool = False) -> bytes:
    """The reasoned written refusal after processing (action `refuse`): the agency's letter."""
    event = _last_event(dossier, "refuse")
    agency = agency_name(dossier)
    return render_pdf("THÔNG BÁO\nTỪ CHỐI GIẢI QUYẾT HỒ SƠ", agency_issuer(dossier), [
        _addressee(dossier),
        Paragraph(f"Căn cứ {_legal_basis(dossier)};", indent=True),
        Paragraph(_received_sentence(dossier), indent=True),
        Paragraph(f"Sau khi xem xét, {agency} không giải quyết yêu cầu của ông/bà. "
                  f"Lý do: {(event.note if event else '') or DOTS}", indent=True),
        Paragraph("Trường hợp không đồng ý, ông/bà có quyền khiếu nại hoặc khởi kiện theo quy định "
                  "của pháp luật./.", indent=True),
        Signatures(_recipients(dossier), _head_signature(dossier, event)),
    ], number=_number(dossier, "TB-UBND"), dateline=_dateline(dossier, _event_day(dossier, event)))


def result_notice(dossier: Dossier, text: str = "") -> bytes:
    """A generated notice of result, for procedures whose result is a notice (never a
    certificate: `result_kind` guards approve); the foot of its last page is kept free for the
    signature stamp."""
    approved = _local(dt.datetime.now(dt.timezone.utc)).date()
    return render_pdf("THÔNG BÁO\nKẾT QUẢ GIẢI QUYẾT HỒ SƠ", agency_issuer(dossier), [
        _addressee(dossier),
        Paragraph(_received_sentence(dossier), indent=True),
        Paragraph(text or f"{agency_name(dossier)} đã giải quyết xong hồ sơ. Kết quả: "
                  f"{dossier.procedure.result or ''}", indent=True),
        Signatures(_recipients(dossier), _head_signature(dossier, _last_event(dossier, "process"))),
        Reserve(55),
    ], number=_number(dossier, "TB-UBND"), dateline=_dateline(dossier, approved))


# --- Mẫu 06: control slip -------------------------------------------------------------------

HANDOVERS = {  # action → (who hands over, who receives), filled with the dossier's units
    "receive": ("Người nộp hồ sơ", "{centre}"),
    "process": ("{centre}", "{agency} (công chức giải quyết)"),
    "request_supplement": ("{agency}", "Người nộp hồ sơ (yêu cầu bổ sung)"),
    "submit": ("Người nộp hồ sơ (hồ sơ đã bổ sung)", "{centre}"),
    "approve": ("{agency}", "{centre} (kết quả)"),
    "refuse": ("{agency}", "{centre} (văn bản từ chối)"),
    "stop": ("{agency}", "{centre} (thông báo dừng)"),
    "return": ("{centre}", "Người nộp hồ sơ (trả kết quả)"),
}
# Which side the officer who recorded the step was on ("giver" or "taker").
OFFICER_SIDE = {"receive": "taker", "submit": "taker", "process": "taker"}


def _deadline_column(dossier: Dossier, moment: dt.datetime | None) -> str:
    due = dossier.due_date
    if moment is None or due is None:
        return ""
    day = moment.date()
    return "Trước hạn" if day < due else ("Đúng hạn" if day == due else "Quá hạn")


def handover_rows(dossier: Dossier) -> list[list[str]]:
    """One row per handover of the dossier: who gave, who received, when, and against the deadline;
    each side signs (the names the history knows are printed under the signature)."""
    names = {"centre": centre_name(dossier.unit), "agency": agency_name(dossier)}
    rows: list[list[str]] = []
    previous: DossierEvent | None = None
    holder = ""  # the officer who holds the dossier after the last step
    for event in dossier.events:
        if event.action not in HANDOVERS:
            continue
        if event.action == "submit" and (previous is None or previous.action != "request_supplement"):
            continue
        giver, taker = (part.format(**names) for part in HANDOVERS[event.action])
        officer = _actor_name(event)
        citizen = applicant_name(dossier)
        if OFFICER_SIDE.get(event.action) == "taker":
            giver_name = citizen if giver.startswith("Người nộp") else holder
            taker_name = officer
        else:
            giver_name, taker_name = officer, citizen if taker.startswith("Người nộp") else ""
        holder = officer or holder
        moment = _local(event.created_at)
        rows.append([f"{len(rows) + 1}. Giao: {giver}\nNhận: {taker}",
                     f"{_when(moment)}\nNgười giao (ký): {giver_name}\nNgười nhận (ký): {taker_name}",
                     _deadline_column(dossier, moment) if event.action != "receive" else "",
                     event.note or ""])
        previous = event
    return rows or [["", "", "", ""]]


def control_sheet(dossier: Dossier, *, staff: bool = False) -> bytes:
    """Mẫu 06 Phiếu kiểm soát quá trình giải quyết hồ sơ: the handovers, their times, who handed
    over and who received (both sign), and whether each was before, on or after the deadline."""
    # Every part of a linked dossier, started or not: its agency, and what it settles.
    coop = [f"{agency_for(part.procedure, dossier.unit)} ({part.name})" for part in parts(dossier)]
    return render_pdf("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", centre_issuer(dossier), [
        Paragraph(f"(Kèm theo hồ sơ của ông/bà {applicant_name(dossier)})", align="C", italic=True),
        Fields([("Cơ quan giải quyết hồ sơ", agency_name(dossier)),
                ("Cơ quan phối hợp giải quyết hồ sơ", "; ".join(coop) or "Không"),
                ("Thủ tục", dossier.procedure.name),
                ("Thời gian hẹn trả kết quả", _when(appointment(dossier)))]),
        Table(["TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ",
               "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (trước hạn/đúng hạn/quá hạn)", "GHI CHÚ"],
              handover_rows(dossier), widths=(32, 36, 17, 15), size=10.5),
    ], subtitle=f"Mã hồ sơ: {dossier.code}", number=_number(dossier, "PKS"),
        dateline=_dateline(dossier, _event_day(dossier, _last_event(dossier, "receive"), dossier.received_at)))


# kind → (builder, file stem, addressed to the citizen, available for the dossier?)
Builder = Callable[..., bytes]
PAPERS: dict[str, tuple[Builder, str, bool, Callable[[Dossier], Any]]] = {
    "receipt": (receipt, "giay-tiep-nhan", True, lambda d: d.received_at is not None),
    "supplement": (supplement_request, "phieu-yeu-cau-bo-sung", True,
                   lambda d: _last_event(d, "request_supplement") is not None),
    "refusal": (refusal, "phieu-tu-choi-tiep-nhan", True, lambda d: d.status == "rejected"),
    "apology": (apology, "van-ban-xin-loi", True, lambda d: d.apologized_at is not None),
    "stop": (stop_notice, "thong-bao-dung-giai-quyet", True, lambda d: d.status == "stopped"),
    "refused": (refusal_notice, "thong-bao-tu-choi-giai-quyet", True, lambda d: d.status == "refused"),
    "control": (control_sheet, "phieu-kiem-soat", False, lambda d: d.received_at is not None),
}
PAPER_TITLES = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "apology": "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
    "stop": "Thông báo dừng giải quyết hồ sơ",
    "refused": "Thông báo từ chối giải quyết hồ sơ",
    "control": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}


def available_papers(dossier: Dossier, *, citizen: bool) -> list[str]:
    """Kinds of papers that exist for the dossier (only those addressed to them for citizens)."""
    return [kind for kind, (_b, _s, public, ready) in PAPERS.items()
            if ready(dossier) and (public or not citizen)]
