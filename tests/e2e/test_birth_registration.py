"""End to end in headless Chromium: file a birth registration from the home page to the
success page, find it in My dossiers and through the public lookup — on a desktop and on a
phone-sized screen. Uses Debian's /usr/bin/chromium; never downloads a browser."""
from __future__ import annotations

import os
import threading

import pytest
from playwright.sync_api import Error as PlaywrightError
from werkzeug.serving import make_server

from app.accounts.models import CaptchaChallenge
from app.extensions import db
from tests.factories import PASSWORD
from tests.portal.data import pdf_bytes
from tests.portal.smtp import free_port

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"{CHROMIUM} is missing: install Debian's chromium (make browser)"),
]


@pytest.fixture
def server(app, birth):
    """The application on 127.0.0.1 in a thread (werkzeug), with the birth procedure offered."""
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


@pytest.fixture
def browser(chromium):
    """The session's one Chromium (tests/e2e/conftest.py): two Playwright drivers in one
    process collide ("Sync API inside the asyncio loop")."""
    return chromium


def captcha_text(app, page) -> str:
    with app.app_context():
        return db.session.get(CaptchaChallenge, page.input_value("#captcha_id")).answer


def assert_fits(page) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone.

    Measured on a parsed page: right after a click that navigates, the next document may be
    committed and still empty (it was, once, on a loaded machine)."""
    for attempt in range(3):
        try:
            page.wait_for_load_state("load")
            page.wait_for_function("document.documentElement && document.body "
                                   "&& document.readyState === 'complete'")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            break
        except PlaywrightError:  # the page navigated while it was being measured
            if attempt == 2:
                raise
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_file_a_birth_registration_and_find_it(app, server, browser, viewport, tmp_path):
    scan = tmp_path / "giay-chung-sinh.pdf"
    scan.write_bytes(pdf_bytes())
    phone = viewport["width"] < 500
    context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)

    # Home page in Vietnamese: choose the province, then the commune.
    page.goto(server + "/")
    assert page.get_attribute("html", "lang") == "vi"
    with page.expect_navigation():
        page.select_option("#province", "75")
    with page.expect_navigation():
        page.select_option("#unit", "25279")
    assert_fits(page)
    page.click("text=Đăng ký khai sinh")
    assert_fits(page)

    # Procedure page → file online → log in → back to step 1.
    page.click(".cta a")
    page.fill("#login", "citizen")
    page.fill("#password", PASSWORD)
    page.click("form[action$='/account/login'] button[type=submit]")
    page.check("#agree")
    assert_fits(page)
    page.click("#start-form button[type=submit]")

    # Step 2: the declaration.
    page.wait_for_selector("#declaration-form")
    page.fill("[name='requester.full_name']", "Nguyễn Văn An")
    page.fill("[name='requester.citizen_id']", "075090001234")
    # With a personal identification number the residence is not asked (Circular 04/2024/TT-BTP).
    assert not page.is_visible("[name='requester.address.street']")
    page.select_option("[name='requester.relationship']", "cha")
    page.fill("[name='child.full_name']", "Nguyễn Thị Bé")
    page.check("[name='child.gender'][value='nu']")
    page.fill("[name='child.date_of_birth']", "2026-10-01")
    page.fill("[name='child.place_of_birth']", "Trạm y tế xã Lộc Tấn")
    page.fill("[name='child.hometown']", "Đồng Nai")
    # Ethnic group and nationality are chosen from the official lists, Kinh and Việt Nam first.
    assert page.input_value("[name='child.ethnicity']") == "Kinh"
    assert page.input_value("[name='child.nationality']") == "VN"
    assert page.locator("[name='child.nationality'] option:not([value=''])").count() == 250
    for parent, name, year in (("mother", "Trần Thị Bình", "1995"), ("father", "Nguyễn Văn An", "1990")):
        page.fill(f"[name='{parent}.full_name']", name)
        page.fill(f"[name='{parent}.birth_year']", year)
        page.fill(f"[name='{parent}.citizen_id']", "075195001234" if parent == "mother" else "075090001234")
    assert_fits(page)
    page.click("button[name=_next]")

    # Step 3: the birth notice, then step 4 (result at the office), step 5 review.
    page.set_input_files("#file-giay_chung_sinh", str(scan))
    page.click("button[name=next]")
    page.wait_for_selector("#delivery-form")
    assert page.input_value("#phone") == "0912345678"
    assert_fits(page)
    with page.expect_navigation():  # the review page (read before it arrived on a loaded machine)
        page.click("#delivery-form .actions button[type=submit]")
    page.wait_for_selector("text=giay-chung-sinh.pdf")
    assert "Nguyễn Thị Bé" in page.content() and "giay-chung-sinh.pdf" in page.content()
    assert_fits(page)
    page.click(".button[href$='/submit']")

    # Step 6: captcha and pledge, then submit.
    page.fill("#captcha", captcha_text(app, page))
    page.check("#pledge")
    assert_fits(page)
    with page.expect_navigation(timeout=60_000):  # filing signs the receipt: slow on a loaded machine
        page.click("#submit-form button[type=submit]")
    errors = page.locator(".mcf-error-summary, .flash, [role=alert]").all_inner_texts()
    assert page.locator("#dossier-code").count() == 1, (page.url, errors)
    code = page.text_content("#dossier-code").strip()
    assert code.startswith("25279-")
    assert_fits(page)

    # My dossiers lists it as submitted.
    page.goto(server + "/my/dossiers")
    assert code in page.content()
    page.click(f"text={code}")
    assert page.get_attribute("#dossier-status", "class").endswith("status-submitted")

    # Public lookup in a fresh, logged-out browser context.
    anonymous = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone).new_page()
    anonymous.goto(server + "/lookup")
    anonymous.fill("#code", code)
    anonymous.fill("#phone4", "5678")
    anonymous.click("#lookup-form button[type=submit]")
    result = anonymous.text_content("#lookup-result")
    assert code in result and "Đăng ký khai sinh" in result and "Xã Lộc Tấn" in result
    assert "Nguyễn" not in result  # no personal data
    assert_fits(anonymous)
    context.close()
