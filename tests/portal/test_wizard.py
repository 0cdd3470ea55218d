"""Filing a birth registration through the web wizard, step by step, as a citizen sees it."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.portal.data import birth_data, fake_pdf_bytes, pdf_bytes, png_bytes
from tests.portal.web import captcha_answer, login


def flatten(data: dict, prefix: str = "") -> dict:
    """The declaration as the form engine's flat field names (dotted paths)."""
    out = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "."))
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = str(value)
    return out


def start_dossier(client, birth) -> str:
    client.get(f"/?province={birth['province']}&unit={birth['unit']}")
    page = client.get("/file/1.001193")
    assert page.status_code == 200
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/file/1.001193", data={"unit": birth["unit"], "agree": "y", "token": token})
    assert response.status_code == 302
    # Posting the same page twice (double click) gives the same draft.
    again = client.post("/file/1.001193", data={"unit": birth["unit"], "agree": "y", "token": token})
    assert again.headers["Location"] == response.headers["Location"]
    return re.search(r"/my/dossiers/([^/]+)/declaration", response.headers["Location"]).group(1)


def test_citizen_files_through_every_step(app, client, birth):
    login(client, "citizen")
    code = start_dossier(client, birth)

    # Step 2: the form is prefilled from the profile; an invalid value is kept and explained.
    page = client.get(f"/my/dossiers/{code}/declaration").get_data(as_text=True)
    assert "Citizen Test" in page or "Test Citizen" in page  # x-prefill full_name
    form = flatten(birth_data())
    form["requester.citizen_id"] = "12ab"
    response = client.post(f"/my/dossiers/{code}/declaration", data=form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="12ab"' in html and "mcf-field--error" in html
    with app.app_context():
        saved = db.session.scalar(select(Dossier).where(Dossier.code == code)).data
    assert saved["requester"]["citizen_id"] == "12ab"  # the draft kept what was typed
    form["requester.citizen_id"] = "075090001234"
    response = client.post(f"/my/dossiers/{code}/declaration", data=form)
    assert response.headers["Location"].endswith(f"/my/dossiers/{code}/documents")

    # Step 3: a renamed executable is refused beside its document; required document enforced.
    response = client.post(f"/my/dossiers/{code}/documents", content_type="multipart/form-data", data={
        "file-giay_chung_sinh": (io.BytesIO(fake_pdf_bytes()), "scan.pdf"), "next": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="msg-giay_chung_sinh"' in html and "scan.pdf" in html
    response = client.post(f"/my/dossiers/{code}/documents", content_type="multipart/form-data", data={
        "file-giay_chung_sinh": [(io.BytesIO(pdf_bytes()), "trang-1.pdf"),
                                 (io.BytesIO(png_bytes()), "trang-2.png")], "upload": "1"})
    assert "trang-1.pdf" in response.get_data(as_text=True) and "trang-2.png" in response.get_data(as_text=True)
    response = client.post(f"/my/dossiers/{code}/documents", data={"next": "1"})
    assert response.headers["Location"].endswith(f"/my/dossiers/{code}/delivery")

    # Step 4: post delivery needs an address; errors beside the fields, values kept.
    response = client.post(f"/my/dossiers/{code}/delivery", data={
        "phone": "0912 345 678", "email": "an@example.com", "method": "post", "province": "75",
        "commune": "", "street": ""})
    html = response.get_data(as_text=True)
    assert 'id="street-msg"' in html and 'id="commune-msg"' in html and 'value="an@example.com"' in html
    response = client.post(f"/my/dossiers/{code}/delivery", data={
        "phone": "0912 345 678", "email": "an@example.com", "method": "post", "province": "75",
        "commune": "25279", "street": "12 Hùng Vương"})
    assert response.headers["Location"].endswith(f"/my/dossiers/{code}/review")

    # Step 5: review shows everything with edit links.
    html = client.get(f"/my/dossiers/{code}/review").get_data(as_text=True)
    assert "Nguyễn Thị Bé" in html and "12 Hùng Vương" in html and "trang-2.png" in html
    assert f"/my/dossiers/{code}/declaration" in html and f"/my/dossiers/{code}/submit" in html

    # Step 6: wrong captcha or no pledge keeps the dossier a draft.
    page = client.get(f"/my/dossiers/{code}/submit").get_data(as_text=True)
    challenge, answer = captcha_answer(app, page)
    response = client.post(f"/my/dossiers/{code}/submit", data={"captcha_id": challenge, "captcha": "WRONG",
                                                                "pledge": "y"})
    assert response.status_code == 200 and 'id="captcha-msg"' in response.get_data(as_text=True)
    challenge, answer = captcha_answer(app, response.get_data(as_text=True))
    response = client.post(f"/my/dossiers/{code}/submit", data={"captcha_id": challenge, "captcha": answer.lower()})
    assert response.status_code == 200 and 'id="pledge-msg"' in response.get_data(as_text=True)
    challenge, answer = captcha_answer(app, response.get_data(as_text=True))
    response = client.post(f"/my/dossiers/{code}/submit", data={"captcha_id": challenge, "captcha": answer,
                                                                "pledge": "y"})
    assert response.headers["Location"].endswith(f"/my/dossiers/{code}/submitted")
    # A reload of the post lands on the same success page and submits nothing twice.
    replay = client.post(f"/my/dossiers/{code}/submit", data={"captcha_id": challenge, "captcha": answer,
                                                              "pledge": "y"})
    assert replay.headers["Location"].endswith(f"/my/dossiers/{code}/submitted")
    success = client.get(f"/my/dossiers/{code}/submitted").get_data(as_text=True)
    assert code in success

    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        assert dossier.status == "submitted" and dossier.delivery_method == "post"
        assert dossier.contact_phone == "0912345678"
        assert db.session.query(OutboxMessage).filter_by(channel="email").count() == 1

    # My dossiers lists it; the detail shows the timeline; the public lookup finds it.
    assert code in client.get("/my/dossiers").get_data(as_text=True)
    detail = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert 'id="dossier-status"' in detail and "timeline" in detail
    lookup = client.get(f"/lookup?code={code}&phone4=5678").get_data(as_text=True)
    assert 'id="lookup-result"' in lookup and "Nguyễn" not in lookup

    # Withdraw before receipt.
    response = client.post(f"/my/dossiers/{code}/withdraw", data={"note": "Nộp nhầm", "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Dossier.status).where(Dossier.code == code)) == "withdrawn"


def test_wizard_pages_of_someone_elses_dossier_answer_404(app, client, birth):
    login(client, "citizen")
    code = start_dossier(client, birth)
    client.post("/account/logout")
    login(client, "citizen2")
    for path in ("declaration", "documents", "delivery", "review", "submit", ""):
        assert client.get(f"/my/dossiers/{code}/{path}".rstrip("/")).status_code == 404


def test_wizard_needs_login_and_comes_back(client, birth):
    response = client.get("/file/1.001193")
    assert response.status_code == 302 and "/account/login?next=/file/1.001193" in response.headers["Location"]


def test_a_lost_session_loses_nothing_already_saved(app, birth):
    first = app.test_client()
    login(first, "citizen")
    code = start_dossier(first, birth)
    form = flatten(birth_data())
    form["child.full_name"] = "Lê Văn Mới"
    first.post(f"/my/dossiers/{code}/declaration", data={**form, "_save": "1"})
    # The session is gone (cookie expired, another device): log in again and resume.
    second = app.test_client()
    assert second.get(f"/my/dossiers/{code}/declaration").status_code == 302
    login(second, "citizen")
    listing = second.get("/my/dossiers").get_data(as_text=True)
    assert code in listing and f"/my/dossiers/{code}/declaration" in listing
    assert 'value="Lê Văn Mới"' in second.get(f"/my/dossiers/{code}/declaration").get_data(as_text=True)
