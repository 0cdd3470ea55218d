"""A new citizen and a new officer, from the README alone, in headless Chromium: the citizen
files a birth registration (a wrong captcha on the way costs nothing), the officer finds it in
the queue at /backoffice/, receives, processes, approves with a PDF and returns it, and the
citizen sees the result. axe-core runs on every page they pass and fails on any violation; no
attribute anywhere reads "None"."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from app.accounts.models import CaptchaChallenge
from app.extensions import db
from tests.factories import PASSWORD
from tests.helpers import result_pdf
from tests.portal.data import pdf_bytes
from tests.portal.smtp import free_port

pytestmark = pytest.mark.browser
TIMEOUT = 30_000  # generous: two cores shared by several test runs


@pytest.fixture
def server(app, birth):
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


def checked(page, axe) -> None:
    """What every page passed must satisfy: axe-core clean, no attribute valued "None"."""
    page.wait_for_load_state("load")
    nones = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
        [...el.attributes].filter(a => a.value === 'None').map(a => el.tagName + ' ' + a.name))""")
    assert nones == [], f"{page.url}: {nones}"
    axe(page)


def new_page(chromium):
    # bypass_csp: axe-core is injected as a script tag, which the nonce-only CSP would block.
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.set_default_navigation_timeout(TIMEOUT)
    page.on("dialog", lambda dialog: dialog.accept())  # the officer's confirmations
    return page


def log_in(page, user: str) -> None:
    page.fill("#login", user)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action$='/account/login'] button[type=submit]")


def captcha_text(app, page) -> str:
    with app.app_context():
        return db.session.get(CaptchaChallenge, page.input_value("#captcha_id")).answer


def file_as_citizen(app, server, chromium, axe, scan) -> str:
    page = new_page(chromium)
    page.goto(server + "/")
    checked(page, axe)
    with page.expect_navigation():
        page.select_option("#province", "75")
    with page.expect_navigation():
        page.select_option("#unit", "25279")
    checked(page, axe)
    page.click("text=Đăng ký khai sinh")
    checked(page, axe)
    page.click(".cta a")
    checked(page, axe)  # the one login page
    log_in(page, "citizen")
    checked(page, axe)
    page.check("#agree")
    page.click("#start-form button[type=submit]")
    page.wait_for_selector("#declaration-form")
    checked(page, axe)
    page.fill("[name='requester.full_name']", "Nguyễn Văn An")
    page.fill("[name='requester.citizen_id']", "075090001234")
    page.select_option("[name='requester.relationship']", "cha")
    page.fill("[name='child.full_name']", "Nguyễn Thị Bé")
    page.check("[name='child.gender'][value='nu']")
    page.fill("[name='child.date_of_birth']", "2026-10-01")
    page.fill("[name='child.place_of_birth']", "Trạm y tế xã Lộc Tấn")
    page.fill("[name='child.hometown']", "Đồng Nai")
    for parent, name, year, number in (("mother", "Trần Thị Bình", "1995", "075195001234"),
                                       ("father", "Nguyễn Văn An", "1990", "075090001234")):
        page.fill(f"[name='{parent}.full_name']", name)
        page.fill(f"[name='{parent}.birth_year']", year)
        page.fill(f"[name='{parent}.citizen_id']", number)
    page.click("button[name=_next]")
    page.wait_for_selector("#file-giay_chung_sinh")
    checked(page, axe)
    page.set_input_files("#file-giay_chung_sinh", str(scan))
    page.click("button[name=next]")
    page.wait_for_selector("#delivery-form")
    checked(page, axe)
    page.click("#delivery-form .actions button[type=submit]")
    page.wait_for_selector(".button[href$='/submit']")
    checked(page, axe)  # check your answers
    page.click(".button[href$='/submit']")
    page.wait_for_selector("#submit-form")
    checked(page, axe)

    # "Đổi mã khác" replaces the picture without reloading; the tick stays.
    page.check("#pledge")
    first = page.input_value("#captcha_id")
    page.click(".captcha-refresh")
    page.wait_for_function("id => document.querySelector('#captcha_id').value !== id", arg=first)
    assert page.is_checked("#pledge")
    page.wait_for_function("() => { const i = document.querySelector('.captcha-image');"
                           " return i.complete && i.naturalWidth > 0; }")
    assert page.get_attribute(".captcha-audio", "href").endswith(page.input_value("#captcha_id") + ".wav")

    # A wrong code: said beside the field, the pledge still ticked, a new picture.
    page.fill("#captcha", "00000")
    with page.expect_navigation():
        page.click("#submit-form button[data-once]")
    assert page.is_visible("#captcha-msg") and page.is_checked("#pledge")
    assert page.get_attribute("#captcha", "aria-invalid") == "true"
    checked(page, axe)
    page.fill("#captcha", captcha_text(app, page))
    with page.expect_navigation():
        page.click("#submit-form button[data-once]")
    code = page.text_content("#dossier-code").strip()
    checked(page, axe)
    page.goto(server + "/my/dossiers")
    checked(page, axe)
    page.context.close()
    return code


def work_as_officer(server, chromium, axe, code: str, result) -> None:
    page = new_page(chromium)
    page.goto(server + "/")
    page.click("a[href$='/account/login']")  # the README: log in, staff land on the queue
    checked(page, axe)
    log_in(page, "officer")
    assert page.url.rstrip("/").endswith("/backoffice")
    checked(page, axe)
    page.click(f"text={code}")
    page.wait_for_selector("#actions-title")
    checked(page, axe)
    for label, extra in (("Tiếp nhận", None), ("Bắt đầu giải quyết", None),
                         ("Duyệt kết quả", "result"), ("Trả kết quả", None)):
        offered = page.locator("details.bo-action summary").all_inner_texts()
        assert label in offered, (label, offered, page.locator("[role=alert], .field-message, .field-error, .flash, .flashes, .bo-flash, .notice").all_inner_texts())
        panel = page.locator("details.bo-action", has=page.locator("summary", has_text=label)).first
        panel.locator("summary").click()
        if extra == "result":
            panel.locator("input[type=file]").set_input_files(str(result))
        with page.expect_navigation():
            panel.locator("button[type=submit]").click()
        page.wait_for_selector("#actions-title")
        checked(page, axe)
    assert "Đã trả kết quả" in page.content()
    page.context.close()


def test_a_new_citizen_and_a_new_officer_finish_their_tasks(app, server, chromium, axe, tmp_path):
    scan, result = tmp_path / "giay-chung-sinh.pdf", tmp_path / "trich-luc.pdf"
    scan.write_bytes(pdf_bytes())
    result.write_bytes(result_pdf("TRICH LUC KHAI SINH"))
    code = file_as_citizen(app, server, chromium, axe, scan)
    work_as_officer(server, chromium, axe, code, result)

    page = new_page(chromium)
    page.goto(server + "/account/login")
    log_in(page, "citizen")
    page.goto(server + f"/my/dossiers/{code}")
    assert page.get_attribute("#dossier-status", "class").endswith("status-returned")
    checked(page, axe)
    page.context.close()
