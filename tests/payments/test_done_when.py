"""Issue 12's "Done when", walked through the pages a citizen and an officer use: a marital-status
certificate (fee, by post) and a three-copy extract (fee × 3, electronic), both paid in the
sandbox, processed, returned with a tracking number, receipts and the signed result downloaded,
and the verification page confirming the result; the history shows every step."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from app.dossiers.models import Dossier, DossierEvent
from app.extensions import db
from app.payments.models import Payment
from tests.helpers import logout, officer_post, result_pdf
from tests.payments.conftest import POST_ADDRESS, extract_data, marital_data
from tests.portal.test_wizard import flatten
from tests.portal.web import captcha_answer, login

OUT = os.environ.get("LEVEL4_PDF_DIR")  # set it to keep the PDFs for a look


def keep(name: str, data: bytes) -> None:
    if OUT:
        Path(OUT).mkdir(parents=True, exist_ok=True)
        (Path(OUT) / name).write_bytes(data)


def file_online(client, world, procedure: str, data: dict, method: str) -> str:
    """Steps 1-4 of the wizard; returns the dossier code."""
    page = client.get(f"/file/{procedure}").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"/file/{procedure}", data={"unit": world["unit"], "agree": "y", "token": token})
    code = re.search(r"/my/dossiers/([^/]+)/declaration", response.headers["Location"]).group(1)
    response = client.post(f"/my/dossiers/{code}/declaration", data=flatten(data))
    assert response.headers["Location"].endswith("/documents"), response.get_data(as_text=True)[:500]
    assert client.post(f"/my/dossiers/{code}/documents", data={"next": "1"}).status_code == 302
    form = {"phone": "0912345678", "email": "an@example.com", "method": method}
    if method == "post":
        form.update(POST_ADDRESS)
    assert client.post(f"/my/dossiers/{code}/delivery", data=form).status_code == 302
    return code


def pay_in_sandbox(client, code: str) -> str:
    """Pay online → the sandbox bank → back; returns the return page's HTML."""
    response = client.post(f"/my/dossiers/{code}/pay", data={"back": f"/my/dossiers/{code}"})
    bank = urlsplit(response.headers["Location"])
    page = client.get(f"{bank.path}?{bank.query}").get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="(vnp_[^"]+)" value="([^"]*)">', page))
    back = client.post(bank.path, data={**{k: v.replace("&amp;", "&") for k, v in fields.items()},
                                        "decision": "pay"})
    return client.get(back.headers["Location"]).get_data(as_text=True)


def submit(app, client, code: str) -> None:
    page = client.get(f"/my/dossiers/{code}/submit").get_data(as_text=True)
    challenge, answer = captcha_answer(app, page)
    response = client.post(f"/my/dossiers/{code}/submit",
                           data={"captcha_id": challenge, "captcha": answer, "pledge": "y"})
    assert response.headers["Location"].endswith("/submitted"), response.get_data(as_text=True)[:300]


def officer_act(client, code: str, action: str, **form):
    files = {k: v for k, v in form.items() if isinstance(v, tuple)}
    response = officer_post(client, code, {"action": action, **form},
                           content_type="multipart/form-data" if files else None)
    assert response.status_code == 302, (action, response.get_data(as_text=True)[:400])


def test_level4_from_filing_to_a_verified_result(app, client, level4):
    login(client, "citizen")
    marital = file_online(client, level4, "1.004873", marital_data(), "post")
    review = client.get(f"/my/dossiers/{marital}/review").get_data(as_text=True)
    assert "15.000" in review and "22.000" in review and "37.000" in review  # fee + postage
    returned_page = pay_in_sandbox(client, marital)
    assert "Ngân hàng đã xác nhận thanh toán" in returned_page
    submit(app, client, marital)

    extract = file_online(client, level4, "2.000635", extract_data(3), "online")
    review = client.get(f"/my/dossiers/{extract}/review").get_data(as_text=True)
    assert "24.000" in review and "8.000" in review
    submit(app, client, extract)
    logout(client)

    login(client, "officer")
    for code in (marital, extract):
        officer_act(client, code, "receive")
        officer_act(client, code, "process")
    officer_act(client, extract, "request_payment")
    logout(client)

    login(client, "citizen")
    dossier_page = client.get(f"/my/dossiers/{extract}").get_data(as_text=True)
    assert 'id="pay-online"' in dossier_page and "24.000" in dossier_page
    assert "Ngân hàng đã xác nhận thanh toán" in pay_in_sandbox(client, extract)
    logout(client)

    login(client, "officer")
    officer_act(client, marital, "approve", result_file=(io.BytesIO(result_pdf()), "xac-nhan.pdf"))
    officer_act(client, marital, "return", method="post", tracking_number="EB123456789VN")
    officer_act(client, extract, "approve", result_file=(io.BytesIO(result_pdf("BAN SAO TRICH LUC")), "tl.pdf"))
    officer_act(client, extract, "return", method="online")
    logout(client)

    login(client, "citizen")
    page = client.get(f"/my/dossiers/{marital}").get_data(as_text=True)
    assert "EB123456789VN" in page and "vnpost.vn" in page
    with app.app_context():
        receipts = {p.dossier.code: p.txn_ref for p in db.session.scalars(select(Payment))}
        results = {d.code: d.results[-1] for d in db.session.scalars(select(Dossier))}
        ids = {code: (r.id, r.public_id) for code, r in results.items()}
    for code, ref in receipts.items():
        receipt = client.get(f"/payments/{ref}/receipt.pdf")
        assert receipt.status_code == 200 and receipt.mimetype == "application/pdf"
        keep(f"bien-lai-{code}.pdf", receipt.data)
    result = client.get(f"/my/dossiers/{extract}/results/{ids[extract][0]}")
    assert result.status_code == 200
    keep(f"ket-qua-{extract}.pdf", result.data)
    keep(f"ket-qua-{marital}.pdf", client.get(f"/my/dossiers/{marital}/results/{ids[marital][0]}").data)
    logout(client)

    check = client.post(f"/public/verify/{ids[extract][1]}", data={"file": (io.BytesIO(result.data), "kq.pdf")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "Hợp lệ: tệp này đúng là văn bản đã cấp" in check and extract in check

    with app.app_context():
        for code, expected in ((marital, ["create", "pay", "submit", "receive", "process", "approve",
                                          "return", "download_result"]),
                               (extract, ["create", "submit", "receive", "process", "request_payment",
                                          "pay", "approve", "return", "download_result"])):
            actions = [e.action for e in db.session.scalars(select(DossierEvent).join(Dossier).where(
                Dossier.code == code, DossierEvent.public.is_(True)).order_by(DossierEvent.id))]
            assert actions == expected, (code, actions)
    result = app.test_cli_runner().invoke(args=["payments", "reconcile"])
    assert result.exit_code == 0, result.output
