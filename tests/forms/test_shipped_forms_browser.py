"""Every shipped declaration in headless Chromium (Debian's /usr/bin/chromium) with forms.js: no
script error, the lists as selects, the conditional parts shown and hidden as the choices say, and
a foreign parent's residence picked by name and submitted."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from flask import Flask, jsonify, request, send_from_directory
from vietnam_provinces import Province, Ward
from werkzeug.serving import make_server

from app.forms import formats
from app.forms.engine import compile_schema

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "app" / "static" / "forms"
FILES = sorted((ROOT / "forms_schema").glob("*.json"))
DEFINITIONS = {json.loads(p.read_text(encoding="utf-8"))["code"]: json.loads(p.read_text(encoding="utf-8"))
               for p in FILES}
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing (make browser)")]

PROVINCE = Province.from_code(75)
UNITS = {"75": (PROVINCE.name, None)} | {f"{int(w.code):05d}": (w.name, "75")
                                         for w in Ward.iter_by_province(PROVINCE.code)}


def _page(form, data=None) -> str:
    return ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tờ khai</title>'
            '<link rel="stylesheet" href="/static/forms/forms.css"></head><body><main>'
            f'<form method="post" novalidate>{form.render(data, locale="vi")}'
            '<button type="submit" name="_next" value="1">Tiếp tục</button></form></main>'
            '<script src="/static/forms/forms.js"></script></body></html>')


@pytest.fixture(scope="module")
def server():
    harness = Flask(__name__)
    forms = {code: compile_schema(d["schema"], d.get("ui_schema"), locale="vi") for code, d in DEFINITIONS.items()}

    @harness.route("/form/<code>", methods=["GET", "POST"])
    def declaration(code):
        form = forms[code]
        if request.method == "GET":
            return _page(form, form.defaults())
        data, handled = form.handle_array_buttons(request.form)
        if handled:  # the unit picker's "show its communes" without JavaScript
            return _page(form, data)
        pruned, errors = form.check(data, "vi")
        return jsonify({"data": pruned, "errors": [e.to_dict() for e in errors]})

    @harness.route("/api/v1/units/")
    def units():
        parent = request.args.get("parent")
        codes = [c for c, (_, p) in UNITS.items() if p == parent]
        return jsonify({"result": [{"code": c, "name": UNITS[c][0], "level": "commune" if UNITS[c][1] else "province",
                                    "parent_code": UNITS[c][1]} for c in codes], "count": len(codes)})

    @harness.route("/static/forms/<path:name>")
    def static_files(name):
        return send_from_directory(STATIC, name)

    formats.set_unit_lister(lambda parent: [(c, n) for c, (n, p) in UNITS.items() if p == parent],
                            lambda code: UNITS.get(code, (None, None))[1])
    formats.set_unit_resolver(lambda code: code in UNITS)
    httpd = make_server("127.0.0.1", 0, harness, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    formats.set_unit_lister(None)
    formats.set_unit_resolver(None)


@pytest.fixture(autouse=True)
def _reset_engine():
    """The module's server keeps its unit lister for all its tests."""
    yield


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.mark.parametrize("code", sorted(DEFINITIONS))
def test_every_shipped_form_renders_in_chromium_without_a_script_error(server, browser, code):
    page = browser.new_page()
    failures: list[str] = []
    page.on("pageerror", lambda exc: failures.append(str(exc)))
    page.goto(f"{server}/form/{code}")
    page.wait_for_selector(".mcf-form")
    for select in page.query_selector_all("select[name$='.nationality'], select[name='nationality']"):
        assert select.input_value() == "VN"
    page.close()
    assert failures == []


def test_the_birth_form_shows_what_the_choices_need_and_submits_a_foreign_mother(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/form/1.001193")
    assert page.is_hidden("[name='mother.residence.street']") and page.is_visible("[name='mother.citizen_id']")
    assert page.is_hidden("[name='abandonment.made_by']")
    page.fill("[name='mother.full_name']", "Marie Dupont")
    page.fill("[name='mother.birth_year']", "1994")
    page.select_option("[name='mother.nationality']", label="Pháp")
    assert page.is_hidden("[name='mother.ethnicity']")
    page.select_option("[name='mother.id_type']", "ho_chieu")
    assert page.is_hidden("[name='mother.citizen_id']") and page.is_visible("[name='mother.id_number']")
    page.fill("[name='mother.id_number']", "19AB12345")
    page.select_option("#mcf-mother-residence-unit-province", "75")
    # A picker shown by a choice is not wired by forms.js (see the xfail below): its button reloads.
    with page.expect_navigation():
        page.click("#mcf-mother-residence-unit-group button[name=_refresh]")
    page.select_option("#mcf-mother-residence-unit", label="Xã Lộc Tấn")
    page.fill("[name='mother.residence.street']", "Ấp 3")
    with page.expect_navigation():
        page.click("button[name=_next]")
    result = json.loads(page.inner_text("body"))
    assert result["data"]["mother"] == {"full_name": "Marie Dupont", "birth_year": 1994, "nationality": "FR",
                                        "id_type": "ho_chieu", "id_number": "19AB12345",
                                        "residence": {"unit": "25279", "street": "Ấp 3"}}
    assert not [e for e in result["errors"] if e["path"].startswith("/mother")]
    page.close()


def test_an_abandoned_child_shows_the_record_instead_of_the_mother(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/form/1.001193")
    page.check("[name='mother_known'][value='false']")
    assert page.is_visible("[name='abandonment.made_by']") and page.is_hidden("[name='mother.full_name']")
    assert page.is_hidden("[name='birth_notice']")
    page.close()


@pytest.mark.xfail(strict=True, reason="engine: forms.js refresh() records a hidden field's disabled state "
                                       "again on each change/input event, so a part hidden then shown stays "
                                       "disabled (reported; app/forms is not changed here)")
def test_a_part_hidden_then_shown_again_can_be_filled(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/form/1.001193")
    page.check("[name='mother_known'][value='false']")
    page.check("[name='mother_known'][value='true']")
    try:
        assert page.is_enabled("[name='mother.full_name']")
    finally:
        page.close()


@pytest.mark.xfail(strict=True, reason="engine: forms.js wires only the unit pickers enabled at load, so a "
                                       "picker inside a part shown later falls back to its no-JS button "
                                       "(reported; app/forms is not changed here)")
def test_a_unit_picker_shown_by_a_choice_loads_its_communes(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/form/1.001193")
    page.select_option("[name='mother.id_type']", "ho_chieu")
    page.select_option("#mcf-mother-residence-unit-province", "75")
    try:
        page.wait_for_selector("#mcf-mother-residence-unit option[value='25279']", state="attached", timeout=3000)
    finally:
        page.close()
