"""Fees are computed on the server and shown, itemised, before anything is paid."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from sqlalchemy import select

from app.core.audit import AdminAuditRecord
from app.extensions import db
from app.procedures.fees import FeeSetting
from app.procedures.models import Procedure, UnitProcedure
from tests.helpers import auth, web_login
from tests.payments.conftest import (
    MARITAL_FEE,
    POSTAGE,
    birth_data,
    create,
    detail,
    extract_data,
    marital_data,
)
from tests.portal.data import pdf_bytes, upload


def test_three_extract_copies_cost_three_times_eight_thousand(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "extract", extract_data(3), "online")
    fee = detail(client, headers, code)["fee"]
    assert fee["amount"] == 24000
    [item] = fee["items"]
    assert (item["quantity"], item["unit_amount"], item["amount"]) == (3, 8000, 24000)
    changed = client.put(f"/api/v1/dossiers/{code}", headers=headers, json={"data": extract_data(5)})
    assert changed.get_json()["fee"]["amount"] == 40000


def test_copies_requested_with_a_birth_registration_are_charged(client, level4):
    headers = auth(client, "citizen")
    data = {**birth_data(), "copies": 2}
    code = create(client, headers, level4, "birth", data)
    fee = detail(client, headers, code)["fee"]
    assert fee["amount"] == 16000
    assert [(i["key"], i["quantity"], i["amount"]) for i in fee["items"]] == \
        [("ban_sao_trich_luc", 2, 16000)]
    assert detail(client, headers, code)["payment_status"] == "unpaid"
    code = create(client, headers, level4, "birth", {**birth_data(), "copies": 0})
    assert detail(client, headers, code)["fee"] == {**detail(client, headers, code)["fee"],
                                                   "amount": 0, "items": []}
    assert detail(client, headers, code)["payment_status"] == "none"


def test_the_post_adds_the_provinces_postal_charge(client, level4):
    headers = auth(client, "citizen")
    by_post = detail(client, headers, create(client, headers, level4, "marital", marital_data(), "post"))
    at_office = detail(client, headers, create(client, headers, level4, "marital", marital_data()))
    assert by_post["fee"]["amount"] == MARITAL_FEE + POSTAGE
    assert [i["key"] for i in by_post["fee"]["items"]] == ["fee", "postage"]
    assert at_office["fee"]["amount"] == MARITAL_FEE


def test_a_province_reduction_for_online_filing_applies_until_its_end_date(app, client, level4):
    with app.app_context():
        row = db.session.scalar(select(FeeSetting).where(FeeSetting.procedure_id == level4["marital_id"]))
        row.online_reduction_percent = 50
        row.reduction_until = dt.date.today() + dt.timedelta(days=30)
        db.session.commit()
    headers = auth(client, "citizen")
    fee = detail(client, headers, create(client, headers, level4, "marital", marital_data()))["fee"]
    assert fee["amount"] == MARITAL_FEE // 2
    assert fee["items"][1]["key"] == "online_reduction" and fee["items"][1]["amount"] == -7500
    with app.app_context():
        row = db.session.scalar(select(FeeSetting).where(FeeSetting.procedure_id == level4["marital_id"]))
        row.reduction_until = dt.date.today() - dt.timedelta(days=1)
        db.session.commit()
    fee = detail(client, headers, create(client, headers, level4, "marital", marital_data()))["fee"]
    assert fee["amount"] == MARITAL_FEE


def test_the_units_own_fee_wins_over_the_provinces(app, client, level4):
    with app.app_context():
        offer = db.session.scalar(select(UnitProcedure).join(Procedure).where(Procedure.code == "1.004873"))
        offer.fee_override = 10000
        db.session.commit()
    headers = auth(client, "citizen")
    assert detail(client, headers, create(client, headers, level4, "marital", marital_data()))["fee"]["amount"] == 10000


def test_an_exemption_waives_the_fee_with_proof_attached(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data(), fee={"exemption": "poor_household"})
    shown = detail(client, headers, code)
    assert shown["fee"]["amount"] == 0 and shown["payment_status"] == "exempt"
    assert shown["fee"]["items"][-1]["key"] == "exemption"
    refused = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert refused.status_code == 422
    assert "/attachments/fee_exemption_proof" in [e["path"] for e in refused.get_json()["errors"]]
    client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                data={"document_key": "fee_exemption_proof", "file": upload(pdf_bytes("Ho ngheo"), "hn.pdf")},
                content_type="multipart/form-data")
    assert client.post(f"/api/v1/dossiers/{code}/submit", headers=headers).status_code == 200
    assert detail(client, headers, code)["payment_status"] == "exempt"


def test_an_exemption_leaves_copies_and_postage_to_pay(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data(), "post",
                  fee={"exemption": "disability"})
    shown = detail(client, headers, code)
    assert shown["fee"]["amount"] == POSTAGE and shown["payment_status"] == "unpaid"


def test_an_unknown_exemption_category_is_refused_at_its_field(client, level4):
    headers = auth(client, "citizen")
    response = client.post("/api/v1/dossiers/", headers=headers, json={
        "procedure": "1.004873", "unit": level4["unit"], "data": marital_data(),
        "fee": {"exemption": "friend_of_the_mayor"}})
    assert response.status_code == 422
    assert [e["path"] for e in response.get_json()["errors"]] == ["/fee/exemption"]


def test_pay_at_submission_refuses_to_submit_until_paid(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data())
    refused = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert refused.status_code == 409
    assert refused.get_json()["errors"][0]["path"] == "/fee"
    assert "15.000" in refused.get_json()["message"]
    assert detail(client, headers, code)["status"] == "draft"


def test_check_answers_page_shows_the_itemised_fee_and_the_pay_button(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data(), "post")
    web_login(client, "citizen")
    page = client.get(f"/my/dossiers/{code}/review").get_data(as_text=True)
    assert "Phí, lệ phí: Cấp Giấy xác nhận tình trạng hôn nhân" in page
    assert "Cước bưu chính" in page and "37.000" in page
    assert 'id="pay-online"' in page
    assert f'href="/my/dossiers/{code}/submit"' not in page  # pay first
    dossier_page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert "37.000" in dossier_page and "Chưa nộp" in dossier_page


def test_the_exemption_is_chosen_beside_the_delivery(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "marital", marital_data())
    web_login(client, "citizen")
    page = client.get(f"/my/dossiers/{code}/delivery").get_data(as_text=True)
    assert "Người thuộc hộ nghèo" in page
    response = client.post(f"/my/dossiers/{code}/delivery", data={
        "phone": "0912345678", "email": "an@example.com", "method": "office",
        "exemption": "meritorious_family"})
    assert response.status_code == 302
    assert detail(client, headers, code)["fee"]["exemption"] == "meritorious_family"
    documents = client.get(f"/my/dossiers/{code}/documents").get_data(as_text=True)
    assert "Giấy tờ chứng minh thuộc đối tượng được miễn lệ phí" in documents


def test_administrators_set_fees_per_province_and_each_change_is_audited(app, client, level4):
    web_login(client, "admin")
    page = client.get("/admin/fees/?province=75")
    assert page.status_code == 200 and "Cấp bản sao Trích lục hộ tịch" in page.get_data(as_text=True)
    field = f"fee-{level4['marital_id']}"
    bad = client.post("/admin/fees/", data={"province": "75", "postal_charge": "-5",
                                            f"percent-{level4['marital_id']}": "150", field: "12000"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "12000" in html and "150" in html  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(FeeSetting.fee).where(FeeSetting.procedure_id == level4["marital_id"])) == MARITAL_FEE
    good = client.post("/admin/fees/", data={"province": "75", "postal_charge": "25.000",
                                             field: "12000", f"percent-{level4['marital_id']}": "50",
                                             f"until-{level4['marital_id']}": "31/12/2026"})
    assert good.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(FeeSetting).where(FeeSetting.procedure_id == level4["marital_id"]))
        assert (row.fee, row.online_reduction_percent, row.reduction_until) == (12000, 50, dt.date(2026, 12, 31))
        wide = db.session.scalar(select(FeeSetting).where(FeeSetting.procedure_id.is_(None)))
        assert wide.postal_charge == 25000
        records = db.session.scalars(select(AdminAuditRecord).where(
            AdminAuditRecord.object_type == "FeeSetting")).all()
        assert records and all(r.actor_name == "admin" for r in records)
        assert any(r.changes.get("fee") == [MARITAL_FEE, 12000] for r in records)


def test_the_demo_sets_the_provinces_fees_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "new fee settings: 4" in first.output, first.output
    assert "new fee settings: 0" in runner.invoke(args=["seed-demo"]).output
    with app.app_context():
        rows = {(r.province.code, r.procedure.code if r.procedure else None): r
                for r in db.session.scalars(select(FeeSetting))}
        assert rows[("75", "1.004873")].fee == 15000 and rows[("75", None)].postal_charge == 22000
        assert rows[("24", "1.004873")].online_reduction_percent == 50


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_receipt_paper_itemises_the_fee(client, level4):
    headers = auth(client, "citizen")
    code = create(client, headers, level4, "extract", extract_data(3), "online")
    client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    client.post(f"/api/v1/dossiers/{code}/actions", headers=auth(client, "officer"), json={"action": "receive"})
    web_login(client, "citizen")
    pdf = client.get(f"/my/dossiers/{code}/papers/receipt.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.data, capture_output=True).stdout.decode()
    assert "Phí, lệ phí" in text and "Cấp bản sao Trích lục hộ tịch" in text
    assert "8.000" in text and "24.000" in text and "Chưa nộp" in text
    page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert "Số tiền đã nộp" not in page  # nothing paid yet
