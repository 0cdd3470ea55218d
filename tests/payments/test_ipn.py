"""The IPN is the only source of truth; each bad callback is answered as VNPay's protocol says,
logged, never credited twice, never leaving a paid dossier unpaid or moving an unpaid one on."""
from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import func, select

from app.dossiers.models import Dossier, DossierEvent
from app.extensions import db
from app.payments.models import Payment, PaymentCallback
from tests.helpers import auth, web_login
from tests.payments.conftest import (
    MARITAL_FEE,
    create,
    detail,
    extract_data,
    ipn,
    ipn_params,
    marital_data,
    pay_at_bank,
    payment_row,
    start,
)


def _awaiting(app, client, world, copies: int = 3) -> tuple[str, dict]:
    """An extract dossier the officer received, processed and asked to pay for."""
    headers = auth(client, "citizen")
    code = create(client, headers, world, "extract", extract_data(copies), "online")
    assert client.post(f"/api/v1/dossiers/{code}/submit", headers=headers).status_code == 200
    officer = auth(client, "officer")
    for action in ("receive", "process", "request_payment"):
        response = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer, json={"action": action})
        assert response.status_code == 200, (action, response.get_json())
    return code, headers


def _pay_events(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(DossierEvent.id)).join(Dossier).where(
            Dossier.code == code, DossierEvent.action == "pay"))


def _callbacks(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(c.source, c.rsp_code) for c in db.session.scalars(select(PaymentCallback).order_by(PaymentCallback.id))]


def test_a_confirmed_ipn_pays_the_dossier_through_the_gate(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    started = start(client, headers, code)
    assert started.status_code == 201
    body = started.get_json()
    assert set(body) >= {"payment_id", "amount", "items", "redirect_url"} and body["amount"] == 24000
    assert detail(client, headers, code)["payment_status"] == "pending"
    answer = ipn(client, ipn_params(app, body["payment_id"], 24000))
    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    shown = detail(client, headers, code)
    assert (shown["status"], shown["payment_status"], shown["fee"]["paid"]) == ("processing", "paid", 24000)
    assert [e["action"] for e in shown["events"]][-1] == "pay"
    row = payment_row(app, body["payment_id"])
    assert (row.state, row.credited, row.gateway_ref) == ("paid", True, "14123456")
    assert row.receipt_number.endswith("/BL-25279-" + f"{dt.date.today().year % 100:02d}")
    assert row.callback["vnp_TxnRef"] == body["payment_id"]


def test_a_forged_signature_is_refused_and_changes_nothing(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    payment_id = start(client, headers, code).get_json()["payment_id"]
    forged = ipn_params(app, payment_id, 24000)
    forged["vnp_SecureHash"] = "0" * 128
    assert ipn(client, forged)["RspCode"] == "97"
    missing = ipn_params(app, payment_id, 24000)
    del missing["vnp_SecureHash"]
    assert ipn(client, missing) == {"RspCode": "97", "Message": "Invalid signature"}
    tampered = ipn_params(app, payment_id, 24000)
    tampered["vnp_ResponseCode"] = "00" if tampered["vnp_ResponseCode"] != "00" else "24"
    assert ipn(client, tampered)["RspCode"] == "97"
    assert detail(client, headers, code)["status"] == "awaiting_payment"
    assert payment_row(app, payment_id).state == "pending"
    assert _callbacks(app) == [("ipn", "97")] * 3


def test_a_changed_amount_is_refused(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    payment_id = start(client, headers, code).get_json()["payment_id"]
    assert ipn(client, ipn_params(app, payment_id, 1000)) == {"RspCode": "04", "Message": "Invalid amount"}
    assert ipn(client, ipn_params(app, payment_id, 24000, vnp_Amount="2400050"))["RspCode"] == "04"
    assert detail(client, headers, code)["status"] == "awaiting_payment"
    assert payment_row(app, payment_id).state == "pending"


def test_a_replayed_ipn_is_already_confirmed_and_credits_once(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    payment_id = start(client, headers, code).get_json()["payment_id"]
    params = ipn_params(app, payment_id, 24000)
    assert ipn(client, params)["RspCode"] == "00"
    assert ipn(client, params) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert detail(client, headers, code)["fee"]["paid"] == 24000
    assert _pay_events(app, code) == 1


def test_an_ipn_for_an_unknown_payment_is_order_not_found(app, client, level4):
    assert ipn(client, ipn_params(app, "NOSUCHPAYMENT", 24000)) == {"RspCode": "01", "Message": "Order not found"}
    assert _callbacks(app) == [("ipn", "01")]


def test_the_return_url_without_an_ipn_shows_waiting_and_pays_nothing(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    body = start(client, headers, code).get_json()
    back = pay_at_bank(client, body["redirect_url"], lose_ipn=True)
    web_login(client, "citizen")
    page = client.get(back.headers["Location"])
    assert page.status_code == 200
    assert "Đang chờ ngân hàng xác nhận" in page.get_data(as_text=True)
    assert detail(client, headers, code)["status"] == "awaiting_payment"
    assert payment_row(app, body["payment_id"]).state == "pending"
    assert _callbacks(app) == [("return", "00")]
    forged = client.get(back.headers["Location"].replace("vnp_ResponseCode=00", "vnp_ResponseCode=01"))
    assert forged.status_code == 400  # a return that is not signed shows nothing


def test_two_ipns_racing_credit_the_dossier_once(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    payment_id = start(client, headers, code).get_json()["payment_id"]
    params = ipn_params(app, payment_id, 24000)
    answers, barrier = [], threading.Barrier(2)

    def call():
        local = app.test_client()
        barrier.wait()
        answers.append(local.get("/payments/vnpay/ipn", query_string=params).get_json()["RspCode"])

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(answers) == ["00", "02"]
    assert detail(client, headers, code)["fee"]["paid"] == 24000
    assert _pay_events(app, code) == 1


def test_an_ipn_after_expiry_still_credits_what_the_bank_took(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    payment_id = start(client, headers, code).get_json()["payment_id"]
    with app.app_context():
        row = db.session.scalar(select(Payment).where(Payment.txn_ref == payment_id))
        row.expires_at = row.created_at - dt.timedelta(minutes=1)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert "1 pending attempt(s) past their expiry marked expired" in result.output
    assert payment_row(app, payment_id).state == "expired"
    assert detail(client, headers, code)["payment_status"] == "unpaid"
    assert ipn(client, ipn_params(app, payment_id, 24000))["RspCode"] == "00"
    assert detail(client, headers, code)["status"] == "processing"


def test_a_late_ipn_when_another_attempt_paid_is_recorded_for_a_refund(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    first = start(client, headers, code).get_json()["payment_id"]
    with app.app_context():
        row = db.session.scalar(select(Payment).where(Payment.txn_ref == first))
        row.expires_at = row.created_at - dt.timedelta(minutes=1)
        db.session.commit()
    second = start(client, headers, code).get_json()["payment_id"]
    assert second != first
    assert ipn(client, ipn_params(app, second, 24000))["RspCode"] == "00"
    assert ipn(client, ipn_params(app, first, 24000))["RspCode"] == "00"  # the bank took it too
    late = payment_row(app, first)
    assert (late.state, late.credited) == ("paid", False)
    assert detail(client, headers, code)["fee"]["paid"] == 24000  # never a double credit
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert result.exit_code == 1 and first in result.output and "not credited" in result.output
    refunded = app.test_cli_runner().invoke(args=["payments", "refund", first, "--reference", "HT01"])
    assert refunded.exit_code == 0, refunded.output
    assert app.test_cli_runner().invoke(args=["payments", "reconcile"]).exit_code == 0


def test_a_failed_payment_leaves_the_fee_due(app, client, level4):
    code, headers = _awaiting(app, client, level4)
    body = start(client, headers, code).get_json()
    pay_at_bank(client, body["redirect_url"], decision="cancel")
    assert payment_row(app, body["payment_id"]).state == "failed"
    shown = detail(client, headers, code)
    assert (shown["status"], shown["payment_status"]) == ("awaiting_payment", "unpaid")
    assert start(client, headers, code).status_code == 201  # and may be paid again


def test_a_callback_for_a_dossier_withdrawn_meanwhile_is_recorded_then_refunded(app, client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data())
    body = start(client, headers, code).get_json()
    assert body["amount"] == MARITAL_FEE
    withdrawn = client.post(f"/api/v1/dossiers/{code}/actions", headers=headers, json={"action": "withdraw"})
    assert withdrawn.status_code == 200
    assert ipn(client, ipn_params(app, body["payment_id"], MARITAL_FEE))["RspCode"] == "00"
    shown = detail(client, headers, code)
    assert (shown["status"], shown["payment_status"], shown["fee"]["paid"]) == ("withdrawn", "paid", MARITAL_FEE)
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert result.exit_code == 1 and "record the refund" in result.output
    officer = auth(client, "officer")
    refund = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                         json={"action": "refund", "reference": "HT-2026-01"})
    assert refund.status_code == 200, refund.get_json()
    shown = detail(client, headers, code)
    assert (shown["status"], shown["payment_status"]) == ("withdrawn", "refunded")
    assert payment_row(app, body["payment_id"]).state == "refunded"
    assert app.test_cli_runner().invoke(args=["payments", "reconcile"]).exit_code == 0


def test_nothing_due_answers_409_and_only_the_owner_may_pay(app, client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "extract", extract_data(1), "online")
    assert start(client, headers, code).status_code == 409  # paid when the officer asks
    free = create(client, headers, level4, "birth", {"copies": 0})
    assert start(client, headers, free).status_code == 409
    marital = create(client, headers, level4, "marital", marital_data())
    assert start(client, auth(client, "citizen2"), marital).status_code == 404
    assert start(client, auth(client, "officer"), marital).status_code == 404  # a draft is its owner's


def test_a_second_click_reuses_the_pending_attempt(app, client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data())
    first, again = start(client, headers, code).get_json(), start(client, headers, code).get_json()
    assert first["payment_id"] == again["payment_id"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Payment.id))) == 1
