"""Two steps of filing in headless Chromium, axe-core clean: the declaration's error summary
lists the errors in the order of the fields on the page (issue 10, item 9), and the delivery step
of a procedure whose result is collected at the office only asks no postal address."""
from __future__ import annotations

import pytest

from tests.e2e.test_newcomers import checked, log_in, new_page, server  # noqa: F401
from tests.helpers import auth
from tests.portal.data import birth_data
from tests.portal.test_first_hour_citizen import CONTACT, _office_only

pytestmark = pytest.mark.browser


def _draft(client, birth, data: dict) -> str:
    response = client.post("/api/v1/dossiers", headers=auth(client, "citizen"), json={
        "procedure": birth["procedure"], "unit": birth["unit"], "data": data, "contact": CONTACT,
        "delivery": {"method": "office"}})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def _citizen_at(chromium, server, path: str):  # noqa: F811
    page = new_page(chromium)
    page.goto(server + "/account/login")
    log_in(page, "citizen")
    page.goto(server + path)
    return page


def test_the_error_summary_lists_the_errors_in_the_order_of_the_page(app, client, birth, server,  # noqa: F811
                                                                     chromium, axe):
    data = birth_data()
    del data["birth_notice"]  # the mother's section: reported by jsonschema after…
    data["father"]["citizen_id"] = "1"  # …the father's section, further down the page
    code = _draft(client, birth, data)
    page = _citizen_at(chromium, server, f"/my/dossiers/{code}/declaration")
    with page.expect_navigation():
        page.click("button[name=_next]")
    summary = page.locator(".mcf-error-summary a")
    texts = summary.all_inner_texts()
    assert len(texts) == 2 and texts[0].startswith("Giấy chứng sinh") and "người cha" in texts[1], texts
    # Each link's target comes later on the page than the one before it.
    in_order = page.evaluate("""() => {
        const targets = [...document.querySelectorAll('.mcf-error-summary a')]
            .map(a => document.getElementById(a.getAttribute('href').slice(1)));
        return targets.every(t => t) && targets.every((t, i) => i === 0 ||
            (targets[i - 1].compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING));
    }""")
    assert in_order, texts
    checked(page, axe)
    page.context.close()


def test_an_office_only_procedure_asks_no_postal_address(app, client, birth, server, chromium, axe):  # noqa: F811
    code = _draft(client, birth, birth_data())
    _office_only(app, birth)
    page = _citizen_at(chromium, server, f"/my/dossiers/{code}/delivery")
    page.wait_for_selector("#delivery-form")
    assert page.locator("#post-address, #province, #commune, #street").count() == 0
    assert page.locator("input[type=radio][name=method]").count() == 0
    said = page.inner_text("#delivery-method")
    assert "chỉ được trả trực tiếp" in said and "Trung tâm Phục vụ hành chính công xã Lộc Tấn" in said
    assert "Số 1 đường Lộc Tấn" in said
    checked(page, axe)
    with page.expect_navigation():
        page.click("#delivery-form .actions button[type=submit]")
    assert page.url.endswith(f"/my/dossiers/{code}/review")
    assert "Tại Trung tâm Phục vụ hành chính công" in page.inner_text("main")
    checked(page, axe)
    page.context.close()
