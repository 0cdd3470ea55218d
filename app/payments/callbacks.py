"""The gateway's callbacks. The server-to-server IPN is the only source of truth; the browser's
return only shows what the IPN recorded. Every callback is logged with our answer.

IPN answers (VNPay): 00 confirmed, 01 order not found, 02 already confirmed, 04 invalid amount,
97 invalid signature, 99 other. One attempt is confirmed once: a compare-and-set on its state
(pending or expired → paid or failed) makes a replayed or racing IPN answer 02, never credit twice.
"""
from __future__ import annotations

import logging
from typing import Any, Mapping

from sqlalchemy import select, update

from app.core.types import utcnow
from app.dossiers import fees
from app.dossiers.errors import ConflictError, DossierError
from app.dossiers.operations import perform_action
from app.extensions import db
from app.payments.gateways import get_gateway
from app.payments.models import Payment, PaymentCallback
from app.payments.operations import assign_receipt

log = logging.getLogger(__name__)
ANSWERS = {"00": "Confirm Success", "01": "Order not found", "02": "Order already confirmed",
           "04": "Invalid amount", "97": "Invalid signature", "99": "Unknown error"}
OPEN_STATES = ("pending", "expired")  # an IPN after our expiry still tells the truth


def _amount(params: Mapping[str, Any]) -> int | None:
    """vnp_Amount is VND × 100."""
    text = str(params.get("vnp_Amount") or "")
    if not text.isdigit() or int(text) % 100:
        return None
    return int(text) // 100


def handle_ipn(params: Mapping[str, Any], remote_addr: str = "") -> tuple[str, str]:
    """Process one IPN and answer (RspCode, Message); the log row is kept whatever happens."""
    params = {str(k): str(v) for k, v in params.items()}
    payment_id = None
    try:
        with db.session.begin_nested():
            code, payment = _confirm(params)
            payment_id = payment.id if payment is not None else None
    except Exception:  # noqa: BLE001 - VNPay retries a 99; nothing half-done stays
        log.exception("IPN %s failed", params.get("vnp_TxnRef"))
        code = "99"
    db.session.add(PaymentCallback(payment_id=payment_id, txn_ref=params.get("vnp_TxnRef", "")[:100],
                                   source="ipn", params=params, rsp_code=code,
                                   message=ANSWERS[code], remote_addr=remote_addr[:64]))
    db.session.flush()
    log.info("IPN %s answered %s", params.get("vnp_TxnRef"), code)
    return code, ANSWERS[code]


def _confirm(params: dict[str, str]) -> tuple[str, Payment | None]:
    gateway = get_gateway()
    if not gateway.verify(params):
        return "97", None
    ref, amount = params.get("vnp_TxnRef", ""), _amount(params)
    success = params.get("vnp_ResponseCode") == "00" and \
        params.get("vnp_TransactionStatus", "00") == "00"
    now = utcnow()
    # The first statement writes: concurrent IPNs queue on the row (SQLite: on the database).
    claimed = 0
    if amount is not None:
        claimed = db.session.execute(
            update(Payment).where(Payment.txn_ref == ref, Payment.gateway == gateway.name,
                                  Payment.amount == amount, Payment.state.in_(OPEN_STATES))
            .values(state="paid" if success else "failed", paid_at=now if success else None,
                    gateway_ref=params.get("vnp_TransactionNo", "")[:100] or None,
                    bank_code=params.get("vnp_BankCode", "")[:20] or None,
                    response_code=params.get("vnp_ResponseCode", "")[:10], callback=params)
            .execution_options(synchronize_session=False)).rowcount
    payment = db.session.scalar(select(Payment).where(
        Payment.txn_ref == ref, Payment.gateway == gateway.name).execution_options(populate_existing=True))
    if payment is None:
        return "01", None
    if not claimed:
        return ("04" if amount != payment.amount else "02"), payment
    if success:
        assign_receipt(payment)
        _credit(payment)
    elif not any(p.state == "pending" for p in db.session.scalars(
            select(Payment).where(Payment.dossier_id == payment.dossier_id))):
        fees.note_payment_ended(payment.dossier)
    return "00", payment


def _credit(payment: Payment) -> None:
    """Money received: through the gate while something is due; otherwise a refund is due."""
    dossier = payment.dossier
    if fees.amount_due(dossier) <= 0:
        payment.note = "Hồ sơ không còn khoản phải nộp khi giao dịch được xác nhận: cần hoàn tiền."
        return
    try:
        with db.session.begin_nested():
            perform_action(None, dossier, "pay", reference=payment.gateway_ref or payment.txn_ref,
                           amount=payment.amount, payment_id=payment.txn_ref)
    except ConflictError:
        raise  # someone changed the dossier meanwhile: answer 99, the gateway calls again
    except DossierError as exc:
        payment.note = f"Chưa ghi có cho hồ sơ: {exc.message}"
        return
    payment.credited = True


def handle_return(params: Mapping[str, Any], remote_addr: str = "") -> tuple[bool, Payment | None]:
    """(signature valid, the attempt): the browser's return changes nothing but the log."""
    params = {str(k): str(v) for k, v in params.items()}
    valid = get_gateway().verify(params)
    payment = db.session.scalar(select(Payment).where(
        Payment.txn_ref == params.get("vnp_TxnRef", ""))) if valid else None
    db.session.add(PaymentCallback(payment_id=payment.id if payment else None,
                                   txn_ref=params.get("vnp_TxnRef", "")[:100], source="return",
                                   params=params, rsp_code=params.get("vnp_ResponseCode", "")[:4],
                                   message="shown" if valid else "invalid signature",
                                   remote_addr=remote_addr[:64]))
    db.session.flush()
    return valid, payment
