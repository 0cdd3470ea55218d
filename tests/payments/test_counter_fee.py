"""A walk-in's dossier for a procedure whose fee is paid at submission (the marital-status
certificate, 15,000 đ here): the counter shows the fee, the officer records the cash taken before
or with the receipt, and the receipt (Mẫu 01) shows the fee paid and its receipt number."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db
from app.payments.models import Payment
from tests.helpers import auth, web_login
from tests.payments.conftest import MARITAL_FEE, detail, marital_data
from tests.portal.test_wizard import flatten

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
WALK_IN = {"name": "Nguyễn Văn An", "id_number": "075090001234", "phone": "0987654321"}


def _walk_in(client, headers, world) -> str:
    response = client.post("/api/v1/counter/dossiers", headers=headers, json={
        "procedure": world["marital"], "unit": world["unit"], "applicant": WALK_IN,
        "data": marital_data(), "delivery": {"method": "office"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def _act(client, headers, code: str, action: str, **params):
    return client.post(f"/api/v1/dossiers/{code}/actions", headers=headers,
                       json={"action": action, **params})


def _receipt_text(client, code: str) -> str:
    pdf = client.get(f"/documents/{code}/receipt.pdf")
    assert pdf.status_code == 200
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.data,
                          capture_output=True).stdout.decode()
    return " ".join(text.split())


def _payments(app, code: str) -> list[tuple]:
    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        return [(p.gateway, p.amount, p.state, p.credited, p.receipt_number) for p in
                db.session.scalars(select(Payment).where(Payment.dossier_id == dossier.id))]


def test_the_api_records_the_cash_then_receives_and_the_receipt_shows_it(app, client, level4):
    officer = auth(client, "officer")
    code = _walk_in(client, officer, level4)
    shown = detail(client, officer, code)
    assert (shown["fee"]["amount"], shown["fee"]["due"], shown["fee"]["stage"]) == \
        (MARITAL_FEE, MARITAL_FEE, "submission")
    # Receiving with the fee unpaid is refused, as submitting it online would be.
    refused = _act(client, officer, code, "receive")
    assert refused.status_code == 409
    assert refused.get_json()["errors"][0]["path"] == "/fee"
    assert "15.000" in refused.get_json()["message"]
    assert detail(client, officer, code)["status"] == "draft"
    short = _act(client, officer, code, "pay", amount=5000)
    assert short.status_code == 422 and short.get_json()["errors"][0]["path"] == "/amount"
    paid = _act(client, officer, code, "pay", reference="TM-0001")
    assert paid.status_code == 200 and paid.get_json()["status"] == "draft"
    assert _act(client, officer, code, "pay").status_code == 409  # never twice
    [(gateway, amount, state, credited, number)] = _payments(app, code)
    assert (gateway, amount, state, credited) == ("counter", MARITAL_FEE, "paid", True)
    assert _act(client, officer, code, "receive").status_code == 200
    shown = detail(client, officer, code)
    assert (shown["status"], shown["payment_status"], shown["fee"]["paid"]) == \
        ("received", "paid", MARITAL_FEE)
    web_login(client, "officer")
    text = _receipt_text(client, code)
    assert "Phí, lệ phí: 15.000 đồng (Cấp Giấy xác nhận tình trạng hôn nhân)" in text
    assert f"Tình trạng nộp phí: Đã nộp 15.000 đồng; biên lai số {number}, tiền mặt" in text


def test_the_counter_page_shows_the_fee_and_takes_it_with_the_receipt(app, client, level4):
    code = _walk_in(client, auth(client, "officer"), level4)
    web_login(client, "officer")
    url = f"/backoffice/counter/{code}"
    page = client.get(url).get_data(as_text=True)
    assert "15.000" in page and 'name="fee_cash"' in page
    form = flatten(marital_data()) | {"receive": "1"}
    # Not ticked: refused beside the fee, nothing received, nothing recorded.
    refused = client.post(url, data=form, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "Thu lệ phí 15.000 đồng tại quầy" in refused.get_data(as_text=True)
    assert _payments(app, code) == [] and detail(client, auth(client, "officer"), code)["status"] == "draft"
    # Ticked but the declaration incomplete: neither the payment nor the receipt happen.
    broken = client.post(url, data={**form, "subject.full_name": "", "fee_cash": "1"},
                         content_type="multipart/form-data")
    assert broken.status_code == 422 and _payments(app, code) == []
    done = client.post(url, data={**form, "fee_cash": "1"}, content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    [(gateway, amount, state, credited, number)] = _payments(app, code)
    assert (gateway, amount, state, credited) == ("counter", MARITAL_FEE, "paid", True)
    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        assert (dossier.status, dossier.payment_status, dossier.fee_paid) == \
            ("received", "paid", MARITAL_FEE)
    text = _receipt_text(client, code)
    assert f"Tình trạng nộp phí: Đã nộp 15.000 đồng; biên lai số {number}, tiền mặt" in text
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert number in page  # the fee receipt is listed with the dossier's payments
