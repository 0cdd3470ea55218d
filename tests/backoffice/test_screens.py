"""Officer screens through the test client: queue, dossier page, actions, papers, conflicts."""
from __future__ import annotations

import io

from pypdf import PdfReader

from app.dossiers.models import DossierEvent
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, new_dossier, user
from tests.helpers import auth, logout, web_login


def _act(client, code, action, **form):
    with client.application.app_context():
        version = get(code).version
    data = {"action": action, "version": str(version), **form}
    return client.post(f"/backoffice/dossiers/{code}/actions", data=data,
                       content_type="multipart/form-data")


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def test_newcomer_takes_a_dossier_from_receipt_to_return(app, client, world, clock):
    with app.app_context():
        code = new_dossier(world).code
    clock.set(at(2026, 3, 2, 9))
    web_login(client, "officer")
    page = client.get("/backoffice/").get_data(as_text=True)
    assert code in page and "Đã nộp" in page  # Vietnamese by default

    assert _act(client, code, "receive").status_code == 302
    receipt = _pdf_text(client.get(f"/documents/{code}/receipt.pdf"))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt and code in receipt
    assert "ngày 05 tháng 3 năm 2026" in " ".join(receipt.split())  # 3 working days after Mon 2/3

    # A supplement without a reason is refused next to the field, the typed items are kept.
    response = _act(client, code, "request_supplement", note="", items_other="Bản sao CCCD")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Bản sao CCCD" in body and 'aria-invalid="true"' in body
    assert _act(client, code, "request_supplement", note="Thiếu giấy tờ",
                items_other="Bản sao CCCD").status_code == 302
    supplement = _pdf_text(client.get(f"/documents/{code}/supplement.pdf"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in supplement and "Bản sao CCCD" in supplement

    with app.app_context():  # the citizen resubmits
        act(user("citizen"), get(code), "submit")
    clock.set(at(2026, 3, 4, 9))
    for action, form in (("receive", {}), ("process", {}), ("note", {"note": "Đã kiểm tra"}),
                         ("approve", {"result_text": "Đã cấp Giấy khai sinh"}),
                         ("return", {"method": "post", "tracking_number": "EB1VN"})):
        response = _act(client, code, action, **form)
        assert response.status_code == 302, (action, response.get_data(as_text=True)[:300])
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert "Đã trả kết quả" in page and "EB1VN" in page and "Đã kiểm tra" in page
    control = _pdf_text(client.get(f"/documents/{code}/control.pdf"))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control and "(yêu cầu bổ sung)" in " ".join(control.split())

    with app.app_context():
        events = {e.action for e in db.session.query(DossierEvent).filter_by(public=True)}
        outbox = [m.event for m in db.session.query(OutboxMessage).filter_by(channel="email")]
    assert {"receive", "request_supplement", "approve", "return"} <= events
    assert outbox.count("received") == 2 and "needs_supplement" in outbox
    assert "result_ready" in outbox and "returned" in outbox

    # The citizen sees the public steps (never the internal note) and gets their papers.
    logout(client)
    headers = auth(client, "citizen")
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert detail["status"] == "returned"
    assert "Đã kiểm tra" not in str(detail)
    web_login(client, "citizen")
    assert client.get(f"/documents/{code}/receipt.pdf").status_code == 200
    assert client.get(f"/documents/{code}/control.pdf").status_code == 404


def test_queue_filters_counts_and_highlights(app, client, world, clock):
    with app.app_context():
        overdue = new_dossier(world, status="processing")
        overdue.due_date = at(2026, 3, 2).date()
        today = new_dossier(world, status="received")
        today.due_date = at(2026, 3, 4).date()
        mine = new_dossier(world, status="submitted")
        mine.assignee_id = user("officer").id
        db.session.commit()
        codes = overdue.code, today.code, mine.code
    clock.set(at(2026, 3, 4, 10))
    web_login(client, "officer")
    page = client.get("/backoffice/").get_data(as_text=True)
    assert 'class="overdue"' in page and 'class="due-today"' in page
    assert "Quá hạn 2" in page or "Overdue by 2" in page
    only_overdue = client.get("/backoffice/?overdue=1").get_data(as_text=True)
    assert codes[0] in only_overdue and codes[1] not in only_overdue
    mine_page = client.get("/backoffice/?mine=1").get_data(as_text=True)
    assert codes[2] in mine_page and codes[0] not in mine_page
    received = client.get("/backoffice/?status=received").get_data(as_text=True)
    assert codes[1] in received and codes[2] not in received


def test_officer_of_another_unit_gets_404(app, client, world):
    with app.app_context():
        code = new_dossier(world).code
    web_login(client, "officer2")
    assert code not in client.get("/backoffice/").get_data(as_text=True)
    assert client.get(f"/backoffice/dossiers/{code}").status_code == 404
    assert client.get(f"/documents/{code}/control.pdf").status_code == 404
    assert _act(client, code, "receive").status_code == 404


def test_an_officer_taken_off_a_unit_loses_its_dossiers_on_the_next_request(app, client, world):
    """Each worker keeps an officer's units under the settings revision: an administrator's
    change of them — even to none, one DELETE statement and no row added — applies at once, on
    pages and API alike, for a session already open."""
    from app.admin_tools.users_ops import update_staff

    with app.app_context():
        code = new_dossier(world).code
    web_login(client, "officer")
    headers = auth(client, "officer")
    assert code in client.get("/backoffice/").get_data(as_text=True)
    assert client.get(f"/backoffice/dossiers/{code}").status_code == 200
    assert code in str(client.get("/api/v1/dossiers", headers=headers).get_json())
    with app.app_context():
        update_staff(user("officer"), True, [])
        db.session.commit()
    assert code not in client.get("/backoffice/").get_data(as_text=True)
    assert client.get(f"/backoffice/dossiers/{code}").status_code == 404
    assert code not in str(client.get("/api/v1/dossiers", headers=headers).get_json())
    with app.app_context():
        update_staff(user("officer"), True, [world.unit_code])
        db.session.commit()
    assert code in client.get("/backoffice/").get_data(as_text=True)


def test_the_procedure_filter_offers_the_procedures_of_the_officers_units(app, client, world):
    from sqlalchemy import select

    from app.units.models import AdministrativeUnit
    from tests.factories import OfferingFactory, ProcedureFactory

    with app.app_context():
        other = db.session.scalar(select(AdministrativeUnit).where(
            AdministrativeUnit.code == world.other_unit_code))
        OfferingFactory(unit=other, procedure=ProcedureFactory(name="Chỉ ở xã bên cạnh"))
        db.session.commit()
    web_login(client, "officer")
    page = client.get("/backoffice/").get_data(as_text=True)
    options = page[page.index('id="f-procedure"'):page.index("</select>", page.index('id="f-procedure"'))]
    assert "Đăng ký khai sinh" in options and "Chỉ ở xã bên cạnh" not in options
    colleague = app.test_client()
    web_login(colleague, "officer2")
    page = colleague.get("/backoffice/").get_data(as_text=True)
    assert "Chỉ ở xã bên cạnh" in page[page.index('id="f-procedure"'):]


def test_the_queue_pages_by_due_date_without_losing_or_repeating_a_dossier(app, client, world):
    import datetime as dt
    import html
    import re

    from app.dossiers.queue import PAGE_SIZE

    with app.app_context():
        codes = [new_dossier(world, status="received", due_date=dt.date(2027, 1, 1 + i % 20)).code
                 for i in range(PAGE_SIZE + 5)]
        db.session.commit()
    web_login(client, "officer")
    seen, path = [], "/backoffice/"
    for expected in (PAGE_SIZE, 5):
        page = client.get(path).get_data(as_text=True)
        rows = re.findall(r'<tr class="[^"]*">\s*<td><a href="/backoffice/dossiers/([^"]+)"', page)
        dues = re.findall(r"<td>(\d\d/01/2027)</td>", page)
        assert len(rows) == expected and dues == sorted(dues)
        seen += rows
        found = re.search(r'<a href="([^"]+)">Trang sau</a>', page)
        if found:
            path = html.unescape(found.group(1))
    assert found is None and sorted(seen) == sorted(codes)


def test_citizen_cannot_open_the_back_office(app, client, world):
    web_login(client, "citizen")
    assert client.get("/backoffice/").status_code == 403


def test_stale_form_shows_a_conflict_and_the_new_state(app, client, world):
    with app.app_context():
        code = new_dossier(world).code
        version = get(code).version
        act(user("colleague"), get(code), "receive")
    web_login(client, "officer")
    response = client.post(f"/backoffice/dossiers/{code}/actions",
                           data={"action": "reject", "note": "Sai mẫu", "version": str(version)},
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "changed by someone else" in body or "người khác" in body
    assert "Đã tiếp nhận" in body  # the new state is shown
    with app.app_context():
        assert get(code).status == "received"


def test_api_actions_answer_status_and_due_date(app, client, world, clock):
    with app.app_context():
        code = new_dossier(world).code
    clock.set(at(2026, 2, 12, 10))
    headers = auth(client, "officer")
    response = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"},
                           headers=headers)
    assert response.status_code == 200
    assert response.get_json()["due_date"] == "2026-02-24"
    again = client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "receive"},
                        headers=headers)
    assert again.status_code == 409 and again.get_json()["message"]
