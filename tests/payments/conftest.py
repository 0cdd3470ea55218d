"""Level 4 fixtures: Đồng Nai with Xã Lộc Tấn offering the marital-status certificate (paid at
submission), extract copies (8,000 đ each, paid when the officer asks) and birth registration,
the province's fee settings, and helpers to pay through the sandbox bank."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.payments.gateways import sandbox_secret, signed_query
from app.payments.models import Payment
from app.procedures.definitions import load_file
from app.procedures.fees import FeeSetting
from app.procedures.operations import import_definition
from tests.factories import ProvinceFactory, UnitFactory, create_user
from tests.helpers import auth
from tests.portal.data import ROOT, birth_data

MARITAL = ROOT / "forms_schema" / "1.004873-cap-giay-xac-nhan-tinh-trang-hon-nhan.json"
EXTRACT = ROOT / "forms_schema" / "2.000635-cap-ban-sao-trich-luc-ho-tich.json"
BIRTH = ROOT / "forms_schema" / "1.001193-dang-ky-khai-sinh.json"
MARITAL_FEE, POSTAGE = 15000, 22000


@pytest.fixture
def level4(app) -> dict:
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai", search_name="tinh dong nai")
        unit = UnitFactory(code="25279", name="Xã Lộc Tấn", search_name="xa loc tan", parent=province)
        UnitFactory(code="25280", name="Xã Lộc Thạnh", search_name="xa loc thanh", parent=province)
        procedures = {}
        for path in (MARITAL, EXTRACT, BIRTH):
            procedures[path] = import_definition(load_file(path), [unit.code]).procedure
        db.session.flush()
        db.session.add(FeeSetting(province_id=province.id, procedure_id=None, postal_charge=POSTAGE))
        db.session.add(FeeSetting(province_id=province.id, procedure_id=procedures[MARITAL].id,
                                  fee=MARITAL_FEE))
        db.session.commit()
        create_user("citizen", "Citizen", phone="0912345678")
        create_user("citizen2", "Citizen", phone="0987654321")
        create_user("officer", "Officer", units=[unit])
        create_user("admin", "Admin")
        return {"unit": unit.code, "province": province.code, "province_id": province.id,
                "marital": "1.004873", "extract": "2.000635", "birth": "1.001193",
                "marital_id": procedures[MARITAL].id}


def marital_data() -> dict:
    return {"requester_is_subject": True,
            "subject": {"full_name": "Nguyễn Văn An", "gender": "nam", "date_of_birth": "1990-05-04",
                        "ethnicity": "Kinh", "nationality": "VN", "id_type": "cccd",
                        "citizen_id": "075090001234"},
            "marital_status": "chua_dang_ky_ket_hon", "purpose": "giao_dich_dan_su",
            "previously_issued": False, "copies": 1}


def extract_data(copies: int = 3) -> dict:
    return {"requester": {"full_name": "Nguyễn Văn An", "id_type": "cccd", "citizen_id": "075090001234",
                          "relationship": "ban_than"},
            "extract_type": "khai_sinh",
            "subject": {"full_name": "Nguyễn Văn An", "gender": "nam", "date_of_birth": "1990-05-04"},
            "registration": {"registered_at": "Ủy ban nhân dân xã Lộc Tấn"}, "copies": copies}


POST_ADDRESS = {"province": "75", "commune": "25280", "street": "Số 12, đường Lê Lợi"}
CONTACT = {"phone": "0912345678", "email": "an@example.com"}


def create(client, headers, world, procedure: str, data: dict, method: str = "office", **extra):
    delivery = {"method": method, **({"address": POST_ADDRESS} if method == "post" else {})}
    response = client.post("/api/v1/dossiers/", headers=headers, json={
        "procedure": world[procedure], "unit": world["unit"], "data": data, "contact": CONTACT,
        "delivery": delivery, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def detail(client, headers, code: str) -> dict:
    return client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()


def start(client, headers, code: str):
    return client.post(f"/api/v1/dossiers/{code}/payments", headers=headers)


def secret(app) -> str:
    with app.app_context():
        return sandbox_secret()


def bank_form(client, redirect_url: str) -> dict:
    """Open the sandbox bank page and read the hidden fields of its form."""
    parts = urlsplit(redirect_url)
    page = client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    html = page.get_data(as_text=True)
    return {unescape(k): unescape(v) for k, v in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)}


def pay_at_bank(client, redirect_url: str, decision: str = "pay", lose_ipn: bool = False):
    """Pay (or cancel) at the sandbox bank; returns its redirect to our return page."""
    form = bank_form(client, redirect_url)
    form["decision"] = decision
    if lose_ipn:
        form["lose_ipn"] = "1"
    path = urlsplit(redirect_url).path
    response = client.post(path, data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response


def ipn_params(app, txn_ref: str, amount: int, *, success: bool = True, **changes) -> dict:
    """What VNPay's IPN carries for a payment, signed with the sandbox's secret."""
    params = {"vnp_TmnCode": "MOTCUASB", "vnp_Amount": str(amount * 100), "vnp_TxnRef": txn_ref,
              "vnp_OrderInfo": "Thanh toan", "vnp_BankCode": "NCB", "vnp_PayDate": "20261201100000",
              "vnp_ResponseCode": "00" if success else "24",
              "vnp_TransactionStatus": "00" if success else "02", "vnp_TransactionNo": "14123456"}
    params.update(changes)
    return dict(parse_qsl(signed_query(params, secret(app))))


def ipn(client, params: dict) -> dict:
    response = client.get("/payments/vnpay/ipn", query_string=params)
    assert response.status_code == 200
    return response.get_json()


def payment_row(app, txn_ref: str) -> Payment:
    with app.app_context():
        row = db.session.scalar(select(Payment).where(Payment.txn_ref == txn_ref))
        db.session.expunge(row)
        return row


def paid_marital(app, client, world, method: str = "post") -> tuple[str, dict]:
    """A marital-status certificate filed, paid in the sandbox and submitted."""
    headers = auth(client, "citizen")
    code = create(client, headers, world, "marital", marital_data(), method)
    started = start(client, headers, code).get_json()
    pay_at_bank(client, started["redirect_url"])
    submitted = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.get_json()
    return code, headers


__all__ = ["birth_data"]
