"""The electronic receipt (biên lai thu phí, lệ phí) of a paid attempt, as PDF. Vietnamese by law."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.documents.pdf import Fields, Issuer, Paragraph, Signature, Table, place_date, render_pdf
from app.dossiers.fees import money
from app.dossiers.models import Dossier
from app.dossiers.papers import applicant_name, issuer_name, payment_notes
from app.extensions import db
from app.payments.models import Payment
from app.workdays import LOCAL_TZ

METHODS = {"vnpay": "Thanh toán trực tuyến qua cổng VNPay",
           "sandbox": "Cổng thanh toán thử nghiệm (sandbox) của MotCua",
           "counter": "Tiền mặt, nộp trực tiếp tại Trung tâm Phục vụ hành chính công"}
DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu", "tỷ")


def _triple(n: int, full: bool) -> str:
    """Words of 0-999 inside a larger number (`full`: say the zero hundreds)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens > 1:
        words += [DIGITS[tens], "mươi"]
    elif tens == 1:
        words.append("mười")
    elif units and (hundreds or full):
        words.append("linh")
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """12000 → "Mười hai nghìn đồng" (as receipts write the sum)."""
    if amount <= 0:
        return "Không đồng"
    groups = []
    while amount:
        groups.append(amount % 1000)
        amount //= 1000
    words = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value:
            words.append(_triple(value, full=index < len(groups) - 1))
            words.append(GROUPS[index] if index < len(GROUPS) else "")
    text = " ".join(w for w in words if w)
    return text[0].upper() + text[1:] + " đồng"


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(LOCAL_TZ)


def _rows(payment: Payment) -> list[list[str]]:
    rows, total = [], 0
    for number, item in enumerate(payment.items or [], start=1):
        unit = item.get("unit_amount")
        rows.append([str(number), item.get("label", ""), str(item.get("quantity") or 1),
                     money(unit) if unit else "", money(item.get("amount"))])
        total += int(item.get("amount") or 0)
    if not rows:
        rows.append(["1", "Phí, lệ phí giải quyết hồ sơ", "1", "", money(payment.amount)])
        total = payment.amount
    if total != payment.amount:
        rows.append(["", "Đã nộp trước đó", "", "", money(payment.amount - total)])
    return rows


def receipt_pdf(payment: Payment) -> bytes:
    """Biên lai thu phí, lệ phí (điện tử) with its number, payer, items and the transaction."""
    dossier = payment.dossier
    unit = dossier.unit
    issuer = Issuer(name=issuer_name(dossier), code=unit.code,
                    parent=unit.parent.name if unit.parent is not None else "")
    place = unit.name.split(" ", 1)[-1] if unit.name.startswith(("Xã ", "Phường ")) else unit.name
    blocks = [
        Fields([("Ký hiệu, số biên lai", payment.receipt_number or ""),
                ("Ngày thu", _local(payment.paid_at)),
                ("Người nộp", applicant_name(dossier)),
                ("Mã hồ sơ", dossier.code), ("Thủ tục", dossier.procedure.name)]),
        Table(["STT", "Nội dung thu", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)"],
              _rows(payment), widths=(8, 50, 12, 16, 18)),
        Fields([("Tổng số tiền", f"{money(payment.amount)} đồng"),
                ("Bằng chữ", amount_in_words(payment.amount)),
                ("Hình thức thanh toán", METHODS.get(payment.gateway, payment.gateway)),
                ("Mã thanh toán", payment.txn_ref),
                ("Mã giao dịch", payment.gateway_ref or "—"),
                ("Ngân hàng", payment.bank_code or "—")]),
    ]
    if payment.gateway == "sandbox":
        blocks.append(Paragraph("Biên lai của giao dịch thử nghiệm: không có giá trị thanh toán.",
                                bold=True))
    if payment.state == "refunded":
        blocks.append(Paragraph("Khoản tiền này đã được hoàn trả cho người nộp.", bold=True))
    blocks.append(Signature("ĐƠN VỊ THU", issuer_name(dossier),
                            place_date(place, (_local(payment.paid_at) or dt.datetime.now(LOCAL_TZ)).date())))
    return render_pdf("BIÊN LAI THU PHÍ, LỆ PHÍ", issuer, blocks, subtitle="(Biên lai điện tử)")


# How the dossier's papers name a payment's method, briefly.
SHORT_METHODS = {"vnpay": "trực tuyến qua VNPay", "sandbox": "cổng thanh toán thử nghiệm",
                 "counter": "tiền mặt"}


@payment_notes
def receipt_notes(dossier: Dossier) -> list[str]:
    """On the dossier's papers (Mẫu 01): each receipt of a payment credited to the dossier."""
    paid = db.session.scalars(select(Payment).where(
        Payment.dossier_id == dossier.id, Payment.state == "paid", Payment.credited.is_(True),
        Payment.receipt_number.is_not(None)).order_by(Payment.id))
    return [f"biên lai số {p.receipt_number}, {SHORT_METHODS.get(p.gateway, p.gateway)}" for p in paid]
