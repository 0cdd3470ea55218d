"""A newcomer walks the public log, the statistics and the digests in headless Chromium without
logging in, on a desktop and on a phone-sized screen; basic accessibility checks on each page,
and axe-core's full rule set when tests/e2e/node_modules/axe-core is installed (or AXE_CORE_JS
names its axe.min.js)."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app.dossiers.operations import perform_action
from app.extensions import db
from tests.backoffice.conftest import make_world
from tests.backoffice.util import new_dossier, user
from tests.e2e.test_birth_registration import assert_fits, browser, pytestmark  # noqa: F401
from tests.portal.smtp import free_port

AXE = Path(os.environ.get("AXE_CORE_JS")
           or Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js")


def seed(app) -> None:
    with app.app_context():
        world = make_world()
        officer = user("officer")
        for i in range(25):
            dossier = new_dossier(world)
            perform_action(officer, dossier, "receive")
            if i % 2:
                perform_action(officer, dossier, "process")
                perform_action(officer, dossier, "approve", result_text="KQ")
                perform_action(officer, dossier, "return", method="office")
        db.session.commit()
        db.session.remove()


@pytest.fixture
def server(app):
    # In a thread of its own: signing results uses asyncio, and Playwright's loop is running here.
    worker = threading.Thread(target=seed, args=(app,))
    worker.start()
    worker.join()
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


def check_accessibility(page) -> None:
    """Labels for every control, a title for every chart, one h1, the page's language."""
    problems = page.evaluate("""() => {
      const out = [];
      if (!document.documentElement.lang) out.push('no lang');
      if (document.querySelectorAll('h1').length !== 1) out.push('h1 count');
      for (const el of document.querySelectorAll('input:not([type=hidden]), select')) {
        if (!el.id || !document.querySelector(`label[for="${el.id}"]`)) out.push('unlabelled ' + el.name);
      }
      for (const svg of document.querySelectorAll('svg.chart')) {
        if (svg.getAttribute('role') !== 'img' || !svg.querySelector('title')) out.push('chart without title');
      }
      for (const t of document.querySelectorAll('table')) {
        if (!t.querySelector('th')) out.push('table without headers');
      }
      return out;
    }""")
    assert problems == [], (page.url, problems)
    if AXE.exists():
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
        assert result == [], (page.url, result)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_a_visitor_walks_the_public_pages(server, browser, viewport):  # noqa: F811
    context = browser.new_context(viewport=viewport, locale="vi-VN", bypass_csp=True)  # for axe-core
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_role("link", name="Công khai hồ sơ").first.click()
    page.wait_for_url("**/public/dossiers")
    assert page.locator("h1").inner_text() == "Công khai hồ sơ"
    rows = page.locator("table.tp-table tbody tr")
    assert rows.count() == 20  # one keyset page
    assert_fits(page)
    check_accessibility(page)
    if viewport["width"] < 700:  # a card per dossier, each value with its label
        assert not page.locator("table.tp-table thead").is_visible() or \
            page.locator("table.tp-table thead").bounding_box()["height"] <= 1
    page.get_by_role("link", name="Hồ sơ cũ hơn").click()
    page.wait_for_url("**page=**")
    expect(rows).to_have_count(5)  # waits for the new page, not the one being left
    page.goto(server + "/public/dossiers")
    page.select_option("#f-status", "returned")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**status=returned**")
    expect(rows).to_have_count(12)
    assert all(t == "Đúng hạn" for t in page.locator(".tp-time").all_inner_texts())
    page.get_by_role("link", name="Thống kê").first.click()
    page.wait_for_url("**/public/stats")
    assert page.locator("svg.chart").count() == 2
    assert "766" in page.content()
    assert_fits(page)
    check_accessibility(page)
    csv_link = page.get_by_role("link", name="CSV").get_attribute("href")
    assert page.request.get(server + csv_link).text().lstrip("\ufeff").startswith("key,name,received")
    page.get_by_role("link", name="Mã tổng hợp lịch sử").first.click()
    page.wait_for_url("**/public/digests")
    assert_fits(page)
    check_accessibility(page)
    context.close()


def test_a_visitor_finds_a_commune_by_name_to_filter_the_log(server, browser):  # noqa: F811
    """The unit is chosen by typing its name (the form engine's picker and forms.js), not from a
    list of every unit; its communes are offered once the province is known."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    page.goto(server + "/public/dossiers")
    assert page.locator("#mcf-unit option").count() == 1  # "— Chọn —": no province chosen yet
    assert page.is_hidden(".tp-filters button[name=_refresh]")  # the script lists communes
    search = page.locator(".tp-filters .mcf-unit-search")
    for typed, suggestion, rows in (("Tam Đa", "Xã Tam Đa, Tỉnh Đồng Nai", 0),
                                    ("Lộc Tấn", "Xã Lộc Tấn, Tỉnh Đồng Nai", 20)):
        search.fill("")
        search.press_sequentially(typed, delay=30)
        page.wait_for_function("""([text]) => [...document.querySelectorAll('.tp-filters datalist option')]
            .some(o => o.value === text)""", arg=[suggestion])
        search.fill(suggestion)
        page.wait_for_function("() => document.querySelector('#mcf-unit').value !== ''")
        page.get_by_role("button", name="Lọc").click()
        page.wait_for_url("**unit=**")
        expect(page.locator("table.tp-table tbody tr")).to_have_count(rows)
        assert page.locator("#mcf-unit option:checked").inner_text() == suggestion.split(",")[0]
        search = page.locator(".tp-filters .mcf-unit-search")
    assert_fits(page)
    check_accessibility(page)
    # The statistics, one level down at a time: the provinces, a province's communes.
    page.goto(server + "/public/stats")
    page.locator("table.tp-table tbody th a").first.click()
    page.wait_for_url("**province=**")
    expect(page.locator("table.tp-table tbody th a", has_text="Xã Lộc Tấn")).to_have_count(1)
    assert page.locator(".tp-crumbs a", has_text="Mọi tỉnh").count() == 1
    assert_fits(page)
    check_accessibility(page)
    context.close()
