"""In headless Chromium, axe-core on every page: an officer takes a walk-in's marital-status
request at the counter, sees its fee, ticks the cash taken and receives it; the parts of a
linked birth bundle on the officer's and the citizen's pages, with the waiting parts' state."""
from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app.dossiers.models import Dossier
from app.dossiers.operations import perform_action
from app.extensions import db
from app.procedures.definitions import load_file
from app.procedures.operations import import_definition
from app.units.models import AdministrativeUnit
from tests.backoffice.util import user
from tests.e2e.test_newcomers import checked, log_in, new_page
from tests.factories import create_dossier
from tests.helpers import auth
from tests.payments.conftest import level4, marital_data  # noqa: F401 - the fixture
from tests.portal.data import ROOT
from tests.portal.smtp import free_port

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MOTCUA_SHOTS")  # a folder to keep the screenshots in (manual review)
BIRTH_BUNDLE = ["1.001193-dang-ky-khai-sinh.json", "1.004222-dang-ky-thuong-tru.json",
                "LOCAL.BHYT.TE6-cap-the-bhyt-tre-em-duoi-6-tuoi.json",
                "2.000986-lien-thong-khai-sinh-thuong-tru-bhyt.json"]


@pytest.fixture
def server(app, level4):  # noqa: F811
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_the_counter_takes_the_fee_with_the_receipt(app, client, server, chromium, axe, level4):  # noqa: F811
    response = client.post("/api/v1/counter/dossiers", headers=auth(client, "officer"), json={
        "procedure": level4["marital"], "unit": level4["unit"], "data": marital_data(),
        "applicant": {"name": "Nguyễn Văn An", "id_number": "075090001234", "phone": "0987654321"},
        "delivery": {"method": "office"}})
    code = response.get_json()["code"]
    page = new_page(chromium)
    page.goto(server + "/account/login")
    log_in(page, "officer")
    page.goto(f"{server}/backoffice/counter/{code}")
    checked(page, axe)
    assert "15.000" in page.inner_text("#fee-cash") and "15.000" in page.inner_text("#fee-total")
    with page.expect_navigation():
        page.click("button[name=receive]")
    assert page.locator("#fee-error").inner_text().startswith("Thu lệ phí 15.000 đồng tại quầy")
    checked(page, axe)
    _shot(page, "counter-fee-refused")
    page.check("#fee_cash")
    with page.expect_navigation():
        page.click("button[name=receive]")
    checked(page, axe)
    _shot(page, "counter-fee-received")
    assert "Đã thu" in page.content() or "Đã nộp" in page.content()
    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        assert (dossier.status, dossier.payment_status) == ("received", "paid")
    page.context.close()


def test_the_parts_of_a_linked_dossier_on_both_pages(app, server, chromium, axe, level4):  # noqa: F811
    with app.app_context():
        for name in BIRTH_BUNDLE:
            import_definition(load_file(ROOT / "forms_schema" / name), [level4["unit"]])
        db.session.commit()
        from app.procedures.models import Procedure

        unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == level4["unit"]))
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == "2.000986"))
        parent = create_dossier(user("citizen"), unit, procedure=procedure,
                                data={"child": {"full_name": "Nguyễn Thị Bé"}})
        perform_action(user("officer"), parent, "receive")
        db.session.commit()
        code = parent.code
    waiting = "chờ hồ sơ Đăng ký khai sinh hoàn thành"
    for who, url in (("officer", f"/backoffice/dossiers/{code}"), ("citizen", f"/my/dossiers/{code}")):
        page = new_page(chromium)
        page.goto(server + "/account/login")
        log_in(page, who)
        page.goto(server + url)
        checked(page, axe)
        table = page.inner_text("#linked-parts")
        assert table.count(waiting) == 2 and "Đăng ký thường trú" in table, table
        _shot(page, f"linked-parts-{who}")
        page.context.close()
