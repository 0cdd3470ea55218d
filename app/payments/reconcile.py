"""Where payment attempts and dossiers disagree (`flask payments reconcile`)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from app.dossiers.fees import money
from app.dossiers.models import Dossier
from app.extensions import db
from app.payments.models import Payment

REFUND_STATUSES = ("withdrawn", "rejected", "refused", "stopped")


@dataclass
class Disagreement:
    dossier_code: str
    payment_id: str
    problem: str

    def __str__(self) -> str:
        return f"{self.dossier_code}\t{self.payment_id or '-'}\t{self.problem}"


def disagreements() -> list[Disagreement]:
    """Every case where the money recorded and the dossier's payment state do not match."""
    found: list[Disagreement] = []
    credited: dict[int, int] = defaultdict(int)
    payments = db.session.scalars(select(Payment).order_by(Payment.id)).all()
    for payment in payments:
        code = payment.dossier.code
        if payment.state == "paid" and payment.credited:
            credited[payment.dossier_id] += payment.amount
        elif payment.state == "paid":
            found.append(Disagreement(code, payment.txn_ref, f"paid {money(payment.amount)} VND but "
                                      "not credited to the dossier: refund it or credit it"))
        elif payment.credited and payment.state != "refunded":
            found.append(Disagreement(code, payment.txn_ref,
                                      f"{payment.state} but counted in the dossier's payments"))
    touched = {p.dossier_id for p in payments}
    rows = db.session.scalars(select(Dossier).where(
        (Dossier.id.in_(touched)) | (Dossier.fee_paid > 0) |
        (Dossier.payment_status.in_(("paid", "pending", "refunded"))))).all()
    for dossier in rows:
        paid = dossier.fee_paid or 0
        if paid != credited.get(dossier.id, 0):
            found.append(Disagreement(dossier.code, "", f"dossier records {money(paid)} VND paid, "
                                      f"its paid attempts {money(credited.get(dossier.id, 0))} VND"))
        if dossier.payment_status == "paid" and paid < (dossier.fee or 0):
            found.append(Disagreement(dossier.code, "", f"marked paid but {money(dossier.fee - paid)} "
                                      "VND are still due"))
        if paid > (dossier.fee or 0) and dossier.payment_status != "refunded":
            found.append(Disagreement(dossier.code, "", f"paid {money(paid - (dossier.fee or 0))} VND "
                                      "more than due: refund the difference"))
        if paid and dossier.status in REFUND_STATUSES:
            found.append(Disagreement(dossier.code, "", f"{dossier.status} with {money(paid)} VND "
                                      "paid: record the refund"))
        if dossier.payment_status == "pending" and not any(
                p.dossier_id == dossier.id and p.state == "pending" for p in payments):
            found.append(Disagreement(dossier.code, "", "shown as pending without a pending attempt"))
    return found
