"""Results by post with the tracking number reaching the citizen; payments at the counter;
receipts; the sandbox bank and the gateway's configuration."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db
from app.notifications.delivery import deliver_pending
from app.notifications.models import OutboxMessage
from app.notifications.sms import SmsRecord
from app.payments.gateways import secure_hash
from app.payments.models import Payment
from app.payments.receipts import amount_in_words
from tests.helpers import auth, logout, officer_post, result_pdf, web_login
from tests.payments.conftest import (
    MARITAL_FEE,
    POSTAGE,
    create,
    detail,
    extract_data,
    marital_data,
    paid_marital,
    start,
)
from tests.portal.smtp import smtp_server

TRACKING = "EB123456789VN"


def _to_returned(client, code: str, tracking: str | None = TRACKING, method: str = "post"):
    logout(client)
    web_login(client, "officer")
    for action in ("receive", "process"):
        assert officer_post(client, code, {"action": action}).status_code == 302
    # The certificate is the officer's document, attached on approval.
    assert officer_post(client, code, {"action": "approve", "result_file": (io.BytesIO(result_pdf()), "kq.pdf")},
                        content_type="multipart/form-data").status_code == 302
    return officer_post(client, code, {
        "action": "return", "method": method, "tracking_number": tracking or ""})


def test_by_post_the_citizen_sees_the_tracking_number_with_the_carriers_link(app, client, level4):
    code, headers = paid_marital(app, client, level4, method="post")
    assert detail(client, headers, code)["fee"]["paid"] == MARITAL_FEE + POSTAGE
    missing = _to_returned(client, code, tracking=None)
    assert missing.status_code == 422 and "Nhập mã vận đơn bưu chính" in missing.get_data(as_text=True)
    response = officer_post(client, code, {
        "action": "return", "method": "post", "tracking_number": TRACKING})
    assert response.status_code == 302
    link = f"https://www.vnpost.vn/vi-vn/dinh-vi/buu-pham?key={TRACKING}"
    shown = detail(client, headers, code)
    assert (shown["delivery"]["tracking_number"], shown["delivery"]["tracking_url"]) == (TRACKING, link)
    logout(client)
    web_login(client, "citizen")
    page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert TRACKING in page and link in page
    with smtp_server(app) as inbox, app.app_context():
        deliver_pending()
        sms = [r.body for r in db.session.scalars(select(SmsRecord))]
    mails = [m for m in inbox.messages if TRACKING in m.get_content()]
    assert len(mails) == 1 and link in mails[0].get_content()
    assert any(TRACKING in body and link in body for body in sms)


def test_a_post_delivery_needs_an_address(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data())
    response = client.put(f"/api/v1/dossiers/{code}", headers=headers,
                          json={"delivery": {"method": "post", "address": {"province": "75"}}})
    assert response.status_code == 200  # a draft may be incomplete …
    refused = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    paths = [e["path"] for e in refused.get_json()["errors"]]
    assert refused.status_code == 422
    assert "/delivery/address/street" in paths and "/delivery/address/commune" in paths


def test_the_officer_records_a_counter_payment_with_a_receipt(app, client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "extract", extract_data(2), "office")
    assert client.post(f"/api/v1/dossiers/{code}/submit", headers=headers).status_code == 200
    officer = auth(client, "officer")
    for action in ("receive", "process", "request_payment"):
        client.post(f"/api/v1/dossiers/{code}/actions", headers=officer, json={"action": action})
    short = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                        json={"action": "pay", "amount": 8000, "reference": "BL-QUAY-01"})
    assert short.status_code == 422 and short.get_json()["errors"][0]["path"] == "/amount"
    paid = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer,
                       json={"action": "pay", "reference": "BL-QUAY-01"})
    assert paid.status_code == 200 and paid.get_json()["status"] == "processing"
    with app.app_context():
        row = db.session.scalar(select(Payment))
        assert (row.gateway, row.amount, row.state, row.credited, row.gateway_ref) == \
            ("counter", 16000, "paid", True, "BL-QUAY-01")
        receipt = row.txn_ref
    assert app.test_cli_runner().invoke(args=["payments", "reconcile"]).exit_code == 0
    web_login(client, "officer")
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert "Phí, lệ phí và thanh toán" in page and receipt in page and "BL-QUAY-01" in page
    assert client.get(f"/payments/{receipt}/receipt.pdf").status_code == 200  # staff see it too
    logout(client)
    web_login(client, "citizen")
    pdf = client.get(f"/payments/{receipt}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    logout(client)
    web_login(client, "citizen2")
    assert client.get(f"/payments/{receipt}/receipt.pdf").status_code == 404


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_receipt_names_its_number_payer_items_amounts_and_transaction(app, client, level4):
    code, headers = paid_marital(app, client, level4, method="post")
    with app.app_context():
        payment = db.session.scalar(select(Payment))
        number, ref = payment.receipt_number, payment.txn_ref
        assert payment.gateway_ref
    web_login(client, "citizen")
    page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert f"/payments/{ref}/receipt.pdf" in page and number in page
    pdf = client.get(f"/payments/{ref}/receipt.pdf").data
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", number, "Nguyễn Văn An", code, "Cước bưu chính",
                     "37.000", "Ba mươi bảy nghìn đồng", ref, payment.gateway_ref):
        assert expected in text, expected


def test_amounts_are_written_in_words_as_receipts_say_them():
    assert amount_in_words(24000) == "Hai mươi tư nghìn đồng"
    assert amount_in_words(1005000) == "Một triệu không trăm linh năm nghìn đồng"
    assert amount_in_words(15000) == "Mười lăm nghìn đồng"


def test_the_sandbox_bank_refuses_a_request_whose_signature_does_not_match(app, client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data())
    url = start(client, headers, code).get_json()["redirect_url"]
    tampered = url.replace("vnp_Amount=1500000", "vnp_Amount=100")
    parts = urlsplit(tampered)
    page = client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 400 and "Chữ ký yêu cầu thanh toán không hợp lệ" in page.get_data(as_text=True)


def test_the_payment_url_is_vnpays_with_amount_times_100_and_fifteen_minutes(app, client, level4):
    app.config.update(PAYMENT_GATEWAY="vnpay", VNPAY_TMN_CODE="DEMOTMN1", VNPAY_HASH_SECRET="S3CR3T",
                      VNPAY_URL="https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
    try:
        headers = auth(client, "citizen")
        code = create(client, headers, level4, "marital", marital_data())
        url = start(client, headers, code).get_json()["redirect_url"]
    finally:
        app.config.update(PAYMENT_GATEWAY="sandbox", VNPAY_TMN_CODE="", VNPAY_HASH_SECRET="")
    assert url.startswith("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert (query["vnp_Version"], query["vnp_Command"], query["vnp_TmnCode"], query["vnp_Amount"],
            query["vnp_CurrCode"]) == ("2.1.0", "pay", "DEMOTMN1", str(MARITAL_FEE * 100), "VND")
    created, expires = (dt.datetime.strptime(query[k], "%Y%m%d%H%M%S") for k in ("vnp_CreateDate", "vnp_ExpireDate"))
    assert expires - created == dt.timedelta(minutes=15)
    assert query["vnp_SecureHash"] == secure_hash(query, "S3CR3T")
    with app.app_context():
        assert db.session.scalar(select(Dossier.payment_status).where(Dossier.code == code)) == "pending"


def test_vnpays_hash_is_hmac_sha512_over_the_sorted_urlencoded_fields():
    import hashlib
    import hmac

    params = {"vnp_TxnRef": "ABC", "vnp_Amount": "2400000", "vnp_OrderInfo": "Thanh toan ho so 1",
              "vnp_SecureHashType": "HmacSHA512", "other": "ignored", "vnp_Empty": ""}
    text = "vnp_Amount=2400000&vnp_OrderInfo=Thanh+toan+ho+so+1&vnp_TxnRef=ABC"
    assert secure_hash(params, "key") == hmac.new(b"key", text.encode(), hashlib.sha512).hexdigest()


def test_production_refuses_to_start_with_the_sandbox_gateway(tmp_path):
    code = "from app import create_app; create_app('production')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 48,
                                 "DATABASE_URL": f"sqlite:///{tmp_path}/p.db"})
    assert result.returncode != 0 and "PAYMENT_GATEWAY is the sandbox" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sandbox_bank_does_not_exist_with_vnpay(app):
    from app import create_app

    other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       PAYMENT_GATEWAY="vnpay")
    assert "/payments/sandbox/pay" not in {r.rule for r in other.url_map.iter_rules()}


def test_the_payment_request_and_receipt_notifications_say_the_amount(app, client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "extract", extract_data(3), "online")
    client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    officer = auth(client, "officer")
    for action in ("receive", "process", "request_payment"):
        client.post(f"/api/v1/dossiers/{code}/actions", headers=officer, json={"action": action})
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.event == "awaiting_payment", OutboxMessage.channel == "email"))
        assert "24.000" in message.body and f"/my/dossiers/{code}" in message.body


def test_the_officers_pay_panel_takes_dong_as_typed_and_keeps_a_wrong_amount(app, client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "extract", extract_data(3), "office")
    client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    officer = auth(client, "officer")
    for action in ("receive", "process", "request_payment"):
        client.post(f"/api/v1/dossiers/{code}/actions", headers=officer, json={"action": action})
    web_login(client, "officer")
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert 'id="pay-amount"' in page and 'value="24000"' in page
    wrong = officer_post(client, code, {"action": "pay", "amount": "20.000"})
    assert wrong.status_code == 422 and 'value="20.000"' in wrong.get_data(as_text=True)
    assert "24.000" in wrong.get_data(as_text=True)
    right = officer_post(client, code, {"action": "pay", "amount": "24.000",
                                                                    "reference": "Q-7"})
    assert right.status_code == 302
    assert detail(client, headers, code)["status"] == "processing"


def test_the_pay_button_never_sends_the_browser_off_site(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "extract", extract_data(1), "office")  # nothing due yet
    web_login(client, "citizen")
    response = client.post(f"/my/dossiers/{code}/pay", data={"back": "https://evil.example/x"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/my/dossiers/{code}")
    page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert "Hiện hồ sơ này không có khoản nào phải nộp" in page
