"""The Content-Security-Policy in the real browser: each role's main pages, opened in headless
Chromium under the policy (no `bypass_csp`), report no violation — no style attribute or `<style>`
refused as the page is parsed, none written later by our scripts or FAB's (select2, the
datepicker, list filters, the JSON editor's live preview), no script refused.

Violations are caught both as `securitypolicyviolation` events and as Chromium's console errors
("Refused to apply inline style …"). The static side (every page of the access-matrix crawl) is
tests/proof/test_inline_styles.py.
"""
from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.factories import PASSWORD
from tests.portal.smtp import free_port
from tests.proof.world import build

pytestmark = pytest.mark.browser
TIMEOUT = 30_000

REPORT = """document.addEventListener("securitypolicyviolation", function (e) {
  var where = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 100) : String(e.target);
  window.__cspViolation({directive: e.violatedDirective, blocked: e.blockedURI, line: e.lineNumber,
                         page: document.location.pathname + document.location.search, where: where});
});"""


@pytest.fixture(scope="module")
def world(app):
    from app.extensions import db
    from tests.conftest import empty_tables

    built = build(app, app.test_client())
    yield built
    with app.app_context():
        db.session.rollback()
        empty_tables()
        db.session.remove()


@pytest.fixture(scope="module")
def chromium(world, chromium):
    """The world first: its signed result runs asyncio, which Playwright's running loop forbids."""
    return chromium


@pytest.fixture(autouse=True)
def _clean_database():
    """The pages share one world; the `world` fixture cleans up at the end."""
    yield


@pytest.fixture(scope="module")
def server(app, world):
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


class Browser:
    """One role's context under the page's own policy, recording every violation it reports."""

    def __init__(self, chromium, server):
        self.server = server
        self.violations: list[str] = []
        self.context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        self.context.expose_binding("__cspViolation", lambda source, report: self.violations.append(
            f"{report['page']}: {report['directive']} refused {report['blocked']} at {report['where']}"))
        self.context.add_init_script(REPORT)
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT)
        self.page.set_default_navigation_timeout(TIMEOUT)
        self.page.on("console", self._console)
        # leave a page with unsaved work (the builder asks before unload); dismiss other dialogs
        self.page.on("dialog", lambda dialog: dialog.accept() if dialog.type == "beforeunload"
                     else dialog.dismiss())

    def _console(self, message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            # The refused value's hash as Chromium computed it: what an allowance would have to list.
            hashed = re.search(r"a hash \('(sha256-[^']+)'\)", text)
            self.violations.append(f"{self.page.url}: console: {text[:60]}… {hashed.group(1) if hashed else ''}")

    def open(self, path: str) -> None:
        response = self.page.goto(self.server + path)
        assert response is not None and response.status < 400, (path, response and response.status)
        self.page.wait_for_load_state("load")

    def settle(self) -> None:
        """Violation events are dispatched asynchronously: let them arrive."""
        self.page.wait_for_timeout(150)

    def log_in(self, user: str) -> None:
        self.open("/account/login")
        self.page.fill("#login", user)
        self.page.fill("#password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("form[action$='/account/login'] button[type=submit]")

    def close(self) -> None:
        self.context.close()


def exercise(browser: Browser) -> None:
    """What scripts do after load: repeat groups, FAB's list filters (one of each column: date
    inputs get a style attribute, relations a select2), select2, datepickers."""
    page = browser.page
    for button in page.locator(".mcf-add:visible").all()[:2]:
        button.click()
    if page.locator("#filter_form").count():
        page.click("a.accordion-toggle")  # the folded "Search" panel
        for name in page.eval_on_selector_all("#filter_form a.filter", "links => links.map(a => a.name)"):
            page.click("#filter_form .dropdown-toggle")
            page.click(f"#filter_form a.filter[name='{name}']")
    select2 = page.locator(".select2-selection:visible")
    if select2.count():
        select2.first.click()
        page.keyboard.press("Escape")
    dates = page.locator(".appbuilder_date input:visible, .appbuilder_datetime input:visible")
    if dates.count():
        dates.first.click()
        page.keyboard.press("Escape")
    browser.settle()


def pages(world) -> dict[str, list[str]]:
    code, draft, procedure, ids = world.code, world.draft, world.procedure, world.ids
    return {
        "anon": ["/", f"/?province=75&unit={world.unit}", "/procedures", f"/procedures/{procedure}", "/lookup",
                 "/public/dossiers", "/public/stats", "/public/digests", f"/public/verify/{world.public_id}",
                 "/account/login", "/account/register", "/account/password/forgot", "/login/"],
        "citizen": ["/my/dossiers", f"/my/dossiers/{code}", f"/file/{procedure}?unit={world.unit}",
                    f"/my/dossiers/{draft}/declaration", f"/my/dossiers/{draft}/documents",
                    f"/my/dossiers/{draft}/delivery", f"/my/dossiers/{draft}/review",
                    f"/my/dossiers/{draft}/submit", "/my/claim", "/account/profile"],
        "officer": ["/backoffice/", f"/backoffice/dossiers/{code}", "/backoffice/counter",
                    f"/backoffice/counter/{world.counter}", "/backoffice/register",
                    "/dossiermodelview/list/", "/dossiermodelview/list/?_flt_0_status=submitted",
                    "/dossiermodelview/list/?_flt_0_due_date=2026-12-31",
                    f"/dossiermodelview/show/{ids['Dossier']}", f"/dossiermodelview/edit/{ids['Dossier']}"],
        "admin": ["/admin/", "/admin/procedure-editor/", f"/admin/procedure-editor/{procedure}/meta",
                  f"/admin/procedure-editor/{procedure}/builder", f"/admin/procedure-editor/{procedure}/form",
                  f"/admin/procedure-editor/{procedure}/templates", f"/admin/procedure-editor/{procedure}/versions",
                  "/admin/procedure-editor/new", "/admin/procedure-editor/import",
                  "/admin/notification-texts/", f"/admin/notification-texts/edit/{ids['text_id']}",
                  "/admin/fees/?province=75", "/admin/signing-certificates/", "/admin/working-calendar/",
                  "/admin/units-tools/", "/admin/staff/", f"/admin/staff/{ids['officer_id']}", "/admin/staff/new",
                  "/users/list/", "/users/add", f"/users/edit/{ids['officer_id']}", f"/users/show/{ids['officer_id']}",
                  "/roles/list/", f"/roles/show/{ids['Role']}", f"/roles/edit/{ids['Role']}",
                  "/permissionviews/list/", "/unitmodelview/list/?_flt_0_name=X", "/unitmodelview/add",
                  "/proceduremodelview/list/", f"/proceduremodelview/edit/{ids['Procedure']}",
                  "/userunitmodelview/add", "/adminauditmodelview/list/", "/audit/dossiers", "/audit/access-log",
                  "/resetmypassword/form", "/swagger/v1"],
    }


def visit(browser: Browser, path: str) -> None:
    browser.open(path)
    exercise(browser)
    if "/procedure-editor/" in path and path.endswith("/form"):  # the JSON editor redraws its preview from the server's markup
        with browser.page.expect_response(lambda r: r.url.endswith("/preview")):
            browser.page.locator("#schema").press("End")
            browser.page.locator("#schema").type(" ")
        browser.page.wait_for_timeout(300)
    if "/notification-texts/edit/" in path:  # the preview, drawn on the page sent back
        with browser.page.expect_navigation():
            browser.page.click("button[name=action][value=preview]")
        assert browser.page.locator(".mc-text-preview").count() == 1
    browser.settle()


@pytest.mark.parametrize("role", ["anon", "citizen", "officer", "admin"])
def test_main_pages_report_no_policy_violation(chromium, server, world, role):
    browser = Browser(chromium, server)
    try:
        if role != "anon":
            browser.log_in(role)
        for path in pages(world)[role]:
            visit(browser, path)
        assert browser.violations == [], "\n".join(browser.violations)
    finally:
        browser.close()


def test_a_refused_inline_style_is_caught(chromium, server, world):
    """The listener sees what the policy refuses (a test that cannot fail would prove nothing)."""
    browser = Browser(chromium, server)
    try:
        browser.open("/")
        browser.page.evaluate("document.body.setAttribute('style', 'outline: 1px solid red')")
        browser.settle()
        assert any("style-src" in v for v in browser.violations), browser.violations
    finally:
        browser.close()
