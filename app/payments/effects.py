"""Steps of the dossier table that concern payment attempts, registered from above the dossier
domain: the officer's counter payment gets its own attempt row and receipt; a refund marks the
dossier's paid attempts refunded."""
from __future__ import annotations

from sqlalchemy import select

from app.dossiers import lifecycle
from app.dossiers.lifecycle import ActionContext
from app.dossiers.models import Dossier
from app.extensions import db
from app.payments.models import Payment
from app.payments.operations import assign_receipt, new_reference


@lifecycle.effect("record_counter_payment")
def record_counter_payment(dossier: Dossier, ctx: ActionContext) -> None:
    """A payment the officer takes at the counter is an attempt like the others (receipt too)."""
    amount = ctx.scratch.get("credited") or 0
    if ctx.actor != lifecycle.OFFICER or amount <= 0:
        return
    payment = Payment(txn_ref=new_reference(), dossier_id=dossier.id, gateway="counter",
                      amount=amount, items=list(dossier.fee_items or []), state="paid",
                      created_at=ctx.moment, paid_at=ctx.moment,
                      gateway_ref=ctx.params.get("reference") or None, credited=True,
                      recorded_by_id=getattr(ctx.user, "id", None), payer_id=dossier.applicant_id)
    db.session.add(payment)
    db.session.flush()
    assign_receipt(payment)
    ctx.payload["payment_id"] = payment.txn_ref


@lifecycle.effect("refund_payments")
def refund_payments(dossier: Dossier, ctx: ActionContext) -> None:
    """Every paid attempt of the dossier is refunded with it."""
    reference = ctx.params.get("reference") or ""
    for payment in db.session.scalars(select(Payment).where(
            Payment.dossier_id == dossier.id, Payment.state == "paid")):
        payment.state = "refunded"
        payment.note = " ".join(filter(None, [payment.note, f"Đã hoàn tiền {reference}".strip()]))
