"""Payment pages: the IPN endpoint, the browser's return, the citizen's pay button, receipts,
and the payment section the dossier pages show (registered with app.dossiers.fees)."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app.core.locale import current_locale
from app.dossiers import fees
from app.dossiers.controllers.access import file_response, login_required, own_dossier
from app.dossiers.filters import can_see, is_owner, sees_internal
from app.dossiers.models import Dossier
from app.extensions import db
from app.payments.callbacks import handle_ipn, handle_return
from app.payments.models import Payment
from app.payments.operations import PaymentError, aware, expire_stale, start_payment
from app.payments.receipts import receipt_pdf


def ipn():
    """VNPay's server-to-server notification (also the sandbox's): the source of truth."""
    code, message = handle_ipn(request.args, request.remote_addr or "")
    return jsonify({"RspCode": code, "Message": message})


def returned():
    """Where the bank sends the browser back: shows what the IPN recorded, changes nothing."""
    valid, payment = handle_return(request.args, request.remote_addr or "")
    if not valid:
        return render_template("payments/returned.html", payment=None, invalid=True), 400
    if payment is not None:
        expire_stale(payment.dossier)
    mine = payment is not None and current_user.is_authenticated and \
        is_owner(current_user, payment.dossier)
    return render_template("payments/returned.html", payment=payment if mine else None,
                           invalid=False, known=payment is not None,
                           bank_code=request.args.get("vnp_ResponseCode", ""))


@login_required
def pay(code: str):
    """The citizen's "Pay online" button: to the gateway, or back with the reason."""
    dossier = own_dossier(code)
    try:
        _payment, url = start_payment(current_user, dossier, ip=request.remote_addr or "",
                                      locale=current_locale())
    except PaymentError as exc:
        flash(exc.message, "error")
        back = request.form.get("back") or ""
        local = back.startswith("/") and not back.startswith(("//", "/\\"))
        return redirect(back if local else url_for("filing.dossier", code=code))
    return redirect(url)


@login_required
def receipt(txn_ref: str):
    """The electronic receipt of a paid attempt: for the payer and the staff who see the dossier."""
    payment = db.session.scalar(select(Payment).where(Payment.txn_ref == txn_ref))
    if payment is None or payment.state not in ("paid", "refunded") or not payment.receipt_number:
        abort(404)
    dossier = payment.dossier
    if not (is_owner(current_user, dossier) or (sees_internal(current_user, dossier)
                                                and can_see(current_user, dossier))):
        abort(404)
    return file_response(receipt_pdf(payment), "application/pdf",
                         f"bien-lai-{dossier.code}-{payment.txn_ref}.pdf",
                         request.args.get("download") != "1")


def attempts(dossier: Dossier) -> list[Payment]:
    return list(db.session.scalars(select(Payment).where(Payment.dossier_id == dossier.id)
                                   .order_by(Payment.id)))


@fees.page_section
def payment_section(dossier: Dossier, user, page: str) -> Markup | None:
    """The pay button and the attempts with their receipts, on the dossier pages."""
    rows = attempts(dossier)
    payable = page in ("citizen", "review") and is_owner(user, dossier) and fees.payable_now(dossier)
    if not rows and not payable:
        return None
    return Markup(render_template("payments/_section.html", dossier=dossier, attempts=rows,  # noqa: S704 - a template
                                  payable=payable, page=page, due=fees.amount_due(dossier),
                                  money=fees.money, aware=aware))
