"""The fee and payment rules of the lifecycle table, registered by name: what submitting needs
when fees are paid at submission, what a payment must cover, what is credited and refunded.

The payment gateways (app/payments) never change a dossier themselves: a confirmed payment is the
SYSTEM actor's `pay` action through the gate, so history, notifications and guards apply.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.dossiers import fees, lifecycle
from app.dossiers.errors import DossierError, field_error
from app.dossiers.lifecycle import OFFICER, ActionContext
from app.dossiers.models import Dossier


@lifecycle.guard("fee_settled")
def fee_settled(dossier: Dossier, ctx: ActionContext) -> None:
    """Where fees are paid at submission, nothing may remain due (paid or exempt): online
    before submitting, at the counter before receiving."""
    if fees.payment_stage(dossier.procedure) != "submission":
        return
    result = fees.quote(dossier, ctx.scratch.get("pruned"), ctx.moment)
    due = max(0, result.total - (dossier.fee_paid or 0))
    if due > 0:
        if ctx.actor == OFFICER:  # receiving a walk-in's dossier at the counter
            message = _("Collect the fee of %(amount)s dong at the counter and record the payment "
                        "before receiving the dossier.", amount=fees.money(due))
        else:
            message = _("Pay the fee of %(amount)s dong before submitting.", amount=fees.money(due))
        raise DossierError(message, 409, [{"path": "/fee", "message": message}])


@lifecycle.effect("fix_fee")
def fix_fee(dossier: Dossier, ctx: ActionContext) -> None:
    """Submitting fixes the fee of the data kept (the officer may still ask for another amount)."""
    fees.apply_quote(dossier, fees.quote(dossier, moment=ctx.moment))


@lifecycle.effect("set_amount_due")
def set_amount_due(dossier: Dossier, ctx: ActionContext) -> None:
    """Ask for what remains due, or for the amount the officer gives (an adjustment line)."""
    remaining = fees.amount_due(dossier)
    asked = ctx.params.get("amount") or remaining
    if asked <= 0:
        raise field_error("/amount", _("Enter the amount to pay (more than 0 dong)."))
    if asked != remaining:
        dossier.fee_items = [*(dossier.fee_items or []), {
            "key": "adjustment", "label": "Điều chỉnh theo thông báo của cơ quan giải quyết",
            "label_en": "Adjusted by the office", "quantity": 1, "unit_amount": None,
            "amount": asked - remaining}]
    dossier.fee = (dossier.fee_paid or 0) + asked
    dossier.payment_status = "unpaid"
    ctx.notice["amount"] = fees.money(asked)


def _paid_amount(dossier: Dossier, ctx: ActionContext) -> int:
    amount = ctx.params.get("amount")
    return fees.amount_due(dossier) if amount is None else amount


@lifecycle.guard("payment_covers_due")
def payment_covers_due(dossier: Dossier, ctx: ActionContext) -> None:
    """Leaving awaiting_payment needs the whole amount due."""
    due = fees.amount_due(dossier)
    if _paid_amount(dossier, ctx) < due:
        message = _("The amount due is %(amount)s dong.", amount=fees.money(due))
        if ctx.actor == OFFICER:
            raise field_error("/amount", message)
        raise DossierError(message, 409, [{"path": "/amount", "message": message}])


@lifecycle.guard("payment_due")
def payment_due(dossier: Dossier, ctx: ActionContext) -> None:
    """Money is credited only while something is due: never twice."""
    if fees.amount_due(dossier) <= 0:
        raise DossierError(_("Nothing is due on this dossier."), 409)


@lifecycle.effect("mark_paid")
def mark_paid(dossier: Dossier, ctx: ActionContext) -> None:
    """Credit the payment (what is due unless an amount is given) to the dossier."""
    amount = _paid_amount(dossier, ctx)
    dossier.fee_paid = (dossier.fee_paid or 0) + amount
    dossier.paid_at = ctx.moment
    dossier.payment_status = "unpaid"  # no longer "pending" or "refunded": settled just below
    dossier.payment_status = fees.settled_status(dossier)
    ctx.scratch["credited"] = amount
    ctx.notice["amount"] = fees.money(amount)
    ctx.payload["amount"] = amount


@lifecycle.guard("fee_refundable")
def fee_refundable(dossier: Dossier, ctx: ActionContext) -> None:
    if not dossier.fee_paid:
        raise DossierError(_("Nothing was paid on this dossier."), 409)


@lifecycle.effect("mark_refunded")
def mark_refunded(dossier: Dossier, ctx: ActionContext) -> None:
    """The fee paid goes back to the citizen (recorded; the money moves through the gateway)."""
    ctx.scratch["refunded"] = dossier.fee_paid
    ctx.notice["amount"] = fees.money(dossier.fee_paid)
    ctx.payload["amount"] = dossier.fee_paid
    dossier.fee_paid = 0
    dossier.payment_status = "refunded"
