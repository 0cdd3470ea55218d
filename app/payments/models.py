"""Payment attempts, every callback received, and receipt numbers."""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from flask_appbuilder import Model
from flask_babel import ngettext
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.deletion import describe_references
from app.core.types import JSONType, utcnow

STATES = ("pending", "paid", "failed", "expired", "refunded")
GATEWAYS = ("sandbox", "vnpay", "counter")


class Payment(Model):
    """One attempt to pay a dossier's fee; `txn_ref` is the payment_id and VNPay's vnp_TxnRef."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    txn_ref: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="NO ACTION"), index=True)
    gateway: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    paid_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime(timezone=True))
    # The gateway's references: VNPay's vnp_TransactionNo, bank, response code, raw callback.
    gateway_ref: Mapped[Optional[str]] = mapped_column(String(100))
    bank_code: Mapped[Optional[str]] = mapped_column(String(20))
    response_code: Mapped[Optional[str]] = mapped_column(String(10))
    callback: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # Counted in the dossier's fee_paid; a paid attempt nobody needed is not (a refund is due).
    credited: Mapped[bool] = mapped_column(Boolean, default=False)
    receipt_number: Mapped[Optional[str]] = mapped_column(String(40), unique=True)
    payer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="NO ACTION"))
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("ab_user.id", ondelete="NO ACTION"))
    note: Mapped[Optional[str]] = mapped_column(Text)

    dossier = relationship("Dossier")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    def __repr__(self) -> str:
        return f"{self.txn_ref} {self.state}"

    __str__ = __repr__


class PaymentCallback(Model):
    """A callback as received (IPN or browser return) and what we answered: the audit of money."""

    __tablename__ = "payment_callbacks"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("payments.id", ondelete="NO ACTION"), index=True)
    txn_ref: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[str] = mapped_column(String(10))  # ipn | return
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    params: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    rsp_code: Mapped[str] = mapped_column(String(4), default="")
    message: Mapped[str] = mapped_column(String(255), default="")
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class ReceiptSequence(Model):
    """Last receipt number issued per unit and year (biên lai thu phí, lệ phí)."""

    __tablename__ = "receipt_sequences"

    unit_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


describe_references("payments", lambda n: ngettext(
    "%(num)d payment made or recorded by the person",
    "%(num)d payments made or recorded by the person", n), target="ab_user")
