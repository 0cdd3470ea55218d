"""The sandbox "bank" (development and tests only): checks the payment request's signature as
VNPay would, lets the payer pay or cancel, then sends the IPN and the browser back, both signed
exactly as VNPay signs them (`gateways.signed_query`), so the shop's verification code runs.

Registered only while PAYMENT_GATEWAY is "sandbox"; production refuses to start with it.
"""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request

from app.core.types import utcnow
from app.payments.callbacks import handle_ipn
from app.payments.gateways import SANDBOX_TMN_CODE, Gateway, get_gateway, signed_query, vnp_time

bp = Blueprint("payment_sandbox", __name__, url_prefix="/payments/sandbox",
               template_folder="templates")
ECHOED = ("vnp_TmnCode", "vnp_Amount", "vnp_TxnRef", "vnp_OrderInfo")


def _gateway() -> Gateway:
    gateway = get_gateway()
    if gateway.name != "sandbox":
        abort(404)
    return gateway


def outcome(request_params: dict[str, str], *, paid: bool) -> dict[str, str]:
    """The parameters VNPay sends back (IPN and return) for a request, paid or cancelled."""
    result = {k: request_params[k] for k in ECHOED if k in request_params}
    result.update({
        "vnp_BankCode": "NCB", "vnp_CardType": "ATM", "vnp_PayDate": vnp_time(utcnow()),
        "vnp_ResponseCode": "00" if paid else "24",  # 24: the customer cancelled
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TransactionNo": f"{secrets.randbelow(10 ** 8):08d}" if paid else "0",
    })
    if paid:
        result["vnp_BankTranNo"] = f"VNP{secrets.randbelow(10 ** 8):08d}"
    return result


@bp.route("/pay", methods=["GET", "POST"])
def bank():
    """The bank's page: the order, Pay or Cancel (and, for testing, a lost IPN)."""
    gateway = _gateway()
    params = {k: v for k, v in request.values.items() if k.startswith("vnp_")}
    problem = None
    if not gateway.verify(params):
        problem = "Chữ ký yêu cầu thanh toán không hợp lệ (vnp_SecureHash)."
    elif params.get("vnp_TmnCode") != SANDBOX_TMN_CODE:
        problem = "Mã website (vnp_TmnCode) không đúng."
    elif params.get("vnp_ExpireDate", "") < vnp_time(utcnow()):
        problem = "Giao dịch đã quá thời gian chờ thanh toán."
    if problem or request.method == "GET":
        return render_template("payments/sandbox_bank.html", params=params, problem=problem,
                               amount=int(params.get("vnp_Amount", "0") or 0) // 100), \
            400 if problem else 200
    result = outcome(params, paid=request.form.get("decision") == "pay")
    signed = signed_query(result, gateway.secret)
    if not request.form.get("lose_ipn"):
        handle_ipn(dict(_pairs(signed)), remote_addr="sandbox")
    target = params.get("vnp_ReturnUrl", "/")
    if urlsplit(target).netloc not in ("", request.host):
        abort(400)  # the sandbox returns only to this site
    return redirect(f"{target}?{signed}")


def _pairs(query: str):
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)
