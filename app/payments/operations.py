"""Starting a payment, expiring stale attempts, numbering receipts, refunds of unneeded money."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.core.types import utcnow
from app.dossiers import fees
from app.dossiers.filters import is_owner
from app.dossiers.models import Dossier
from app.extensions import db
from app.payments.gateways import get_gateway
from app.payments.models import Payment, ReceiptSequence
from app.workdays import LOCAL_TZ


class PaymentError(Exception):
    """A payment request refused: `.status` (404, 409) and a message for the user."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message, self.status, self.errors = message, status, []


def new_reference() -> str:
    """A payment id nobody can guess (VNPay's vnp_TxnRef: letters and digits)."""
    return secrets.token_hex(8).upper()


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive UTC back; compare aware datetimes only."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment


def order_info(dossier: Dossier) -> str:
    """VNPay wants plain ASCII here."""
    return f"Thanh toan phi, le phi ho so {dossier.code}"


def expire_stale(dossier: Dossier | None = None, now: dt.datetime | None = None) -> int:
    """Mark pending attempts past their expiry as expired; their dossiers are unpaid again."""
    now = now or utcnow()
    stmt = select(Payment).where(Payment.state == "pending", Payment.expires_at < now)
    if dossier is not None:
        stmt = stmt.where(Payment.dossier_id == dossier.id)
    stale = list(db.session.scalars(stmt))
    for payment in stale:
        changed = db.session.execute(
            update(Payment).where(Payment.id == payment.id, Payment.state == "pending")
            .values(state="expired").execution_options(synchronize_session=False)).rowcount
        if changed:
            db.session.refresh(payment)
            if not live_attempts(payment.dossier, now):
                fees.note_payment_ended(payment.dossier)
    db.session.flush()
    return len(stale)


def live_attempts(dossier: Dossier, now: dt.datetime | None = None) -> list[Payment]:
    now = now or utcnow()
    return [p for p in db.session.scalars(select(Payment).where(
        Payment.dossier_id == dossier.id, Payment.state == "pending"))
        if aware(p.expires_at) is None or aware(p.expires_at) >= now]


def start_payment(user: Any, dossier: Dossier, *, ip: str, locale: str) -> tuple[Payment, str]:
    """An attempt to pay what is due now (the pending one again if it still fits) and the
    gateway's URL for the browser."""
    if not is_owner(user, dossier):
        raise PaymentError(_("Dossier not found."), 404)
    expire_stale(dossier)
    if not fees.payable_now(dossier):
        raise PaymentError(_("Nothing is due on this dossier now."), 409)
    gateway = get_gateway()
    due = fees.amount_due(dossier)
    payment = next((p for p in live_attempts(dossier)
                    if p.amount == due and p.gateway == gateway.name), None)
    if payment is None:
        now = utcnow().replace(microsecond=0)
        minutes = int(current_app.config.get("PAYMENT_EXPIRY_MINUTES", 15))
        payment = Payment(txn_ref=new_reference(), dossier_id=dossier.id, gateway=gateway.name,
                          amount=due, items=list(dossier.fee_items or []), state="pending",
                          created_at=now, expires_at=now + dt.timedelta(minutes=minutes),
                          payer_id=user.id)
        db.session.add(payment)
        db.session.flush()
    fees.note_payment_started(dossier)
    db.session.flush()
    url = gateway.payment_url(payment, return_url=url_for("payments.returned", _external=True),
                              ip=ip, locale=locale, order_info=order_info(dossier))
    return payment, url


def assign_receipt(payment: Payment) -> str:
    """The receipt number, taken atomically per unit and year: 0000001/BL-25279-26."""
    if payment.receipt_number:
        return payment.receipt_number
    unit_code = payment.dossier.unit.code
    year = (aware(payment.paid_at) or utcnow()).astimezone(LOCAL_TZ).year
    table = ReceiptSequence.__table__
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    number = db.session.execute(
        insert(table).values(unit_code=unit_code, year=year, last_value=1)
        .on_conflict_do_update(index_elements=[table.c.unit_code, table.c.year],
                               set_={"last_value": table.c.last_value + 1})
        .returning(table.c.last_value)).scalar_one()
    payment.receipt_number = f"{number:07d}/BL-{unit_code}-{year % 100:02d}"
    return payment.receipt_number


def refund_uncredited(txn_ref: str, reference: str = "") -> Payment:
    """Record the refund of a paid attempt the dossier did not need (caller commits)."""
    payment = db.session.scalar(select(Payment).where(Payment.txn_ref == txn_ref))
    if payment is None:
        raise PaymentError(f"no payment {txn_ref}", 404)
    if payment.state != "paid" or payment.credited:
        raise PaymentError(f"payment {txn_ref} is {payment.state}"
                           f"{' and credited to its dossier: refund the dossier' if payment.credited else ''}")
    payment.state = "refunded"
    payment.note = " ".join(filter(None, [payment.note, f"Đã hoàn tiền {reference}".strip()]))
    db.session.flush()
    return payment
