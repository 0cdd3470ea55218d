"""The unit picker in headless Chromium (Debian's /usr/bin/chromium), with and without JavaScript.

A small page serves the engine's fragment, forms.js and a units endpoint shaped like /api/v1/units,
both fed from the vietnam-provinces package (the data the app imports)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from flask import Flask, jsonify, request, send_from_directory
from vietnam_provinces import Province, Ward
from werkzeug.serving import make_server

from app.core.types import fold_vietnamese
from app.forms import formats
from app.forms.engine import compile_schema

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
STATIC = Path(__file__).resolve().parents[2] / "app" / "static" / "forms"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing (make browser)")]
SCHEMA = {"type": "object", "required": ["place"], "properties": {
    "place": {"type": "string", "format": "vn-unit", "title": "Xã/phường nơi sinh"}}}


def _units() -> dict[str, tuple[str, str | None]]:
    units: dict[str, tuple[str, str | None]] = {}
    for code in (75, 24):
        province = Province.from_code(code)
        units[f"{code:02d}"] = (province.name, None)
        for ward in Ward.iter_by_province(province.code):
            units[f"{int(ward.code):05d}"] = (ward.name, f"{code:02d}")
    return units


UNITS = _units()


def _unit_json(code: str) -> dict:
    name, parent = UNITS[code]
    return {"code": code, "name": name, "level": "commune" if parent else "province", "parent_code": parent}


def _page(form, data=None) -> str:
    return ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tờ khai</title>'
            '<link rel="stylesheet" href="/static/forms/forms.css"></head><body><main>'
            f'<form method="post" novalidate data-autosave="d:declaration" data-autosave-version="1">'
            f'{form.render(data, locale="vi")}'
            '<button type="submit" name="_next" value="1">Tiếp tục</button></form></main>'
            '<script src="/static/forms/forms.js"></script><script src="/static/forms/autosave.js"></script>'
            '</body></html>')


@pytest.fixture
def server(in_vi):
    formats.set_unit_lister(lambda parent: [(c, n) for c, (n, p) in UNITS.items() if p == parent],
                            lambda code: UNITS.get(code, (None, None))[1])
    formats.set_unit_resolver(lambda code: code in UNITS)
    harness = Flask(__name__)
    harness.config.update(in_vi.config)
    harness.extensions.update(in_vi.extensions)
    form = compile_schema(SCHEMA)

    @harness.route("/", methods=["GET", "POST"])
    def declaration():
        if request.method == "GET":
            return _page(form)
        data, handled = form.handle_array_buttons(request.form)
        if handled:
            return _page(form, data)
        return jsonify({"data": data, "errors": [e.to_dict() for e in form.validate(data, "vi")]})

    @harness.route("/api/v1/units/")
    def units():
        q, parent = request.args.get("q"), request.args.get("parent")
        if parent:
            codes = [c for c, (_, p) in UNITS.items() if p == parent]
        elif q:
            codes = [c for c, (n, _) in UNITS.items() if fold_vietnamese(q) in fold_vietnamese(n)]
        else:
            codes = [c for c, (_, p) in UNITS.items() if p is None]
        return jsonify({"result": [_unit_json(c) for c in codes], "count": len(codes)})

    @harness.route("/static/forms/<path:name>")
    def static_files(name):
        return send_from_directory(STATIC, name)

    httpd = make_server("127.0.0.1", 0, harness, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


def _submitted(page) -> dict:
    with page.expect_navigation():
        page.click("button[name=_next]")
    return json.loads(page.inner_text("body"))


def test_with_javascript_the_province_loads_its_communes_and_search_finds_a_unit(server, browser):
    page = browser.new_page()
    page.goto(server)
    assert page.is_hidden("button[name=_refresh]")
    page.select_option("#mcf-place-province", "75")
    page.wait_for_selector("#mcf-place option[value='25279']", state="attached")
    page.select_option("#mcf-place", label="Xã Lộc Tấn")
    assert _submitted(page) == {"data": {"place": "25279"}, "errors": []}

    page.goto(server)
    assert page.inner_text("label[for=mcf-place-search]") == "Tìm theo tên"
    page.fill("#mcf-place-search", "Tam Đa")
    page.wait_for_selector("#mcf-place-matches option[value='Xã Tam Đa, Bắc Ninh']", state="attached")
    page.fill("#mcf-place-search", "Xã Tam Đa, Bắc Ninh")
    page.wait_for_selector("#mcf-place option[value='09208']:checked", state="attached")
    assert page.input_value("#mcf-place-province") == "24"
    assert _submitted(page)["data"] == {"place": "09208"}
    page.close()


def test_a_choice_kept_in_the_tab_comes_back_after_a_reload(server, browser):
    page = browser.new_page()
    page.goto(server)
    page.select_option("#mcf-place-province", "75")
    page.wait_for_selector("#mcf-place option[value='25279']", state="attached")
    page.select_option("#mcf-place", "25279")
    page.reload()  # e.g. the post went to the login page: the tab's copy is put back
    page.wait_for_selector("#mcf-place option[value='25279']:checked", state="attached")
    assert page.input_value("#mcf-place-province") == "75"
    page.close()


def test_without_javascript_the_button_shows_the_communes_of_the_chosen_province(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server)
    assert page.locator("#mcf-place option").count() == 1
    page.select_option("#mcf-place-province", "75")
    with page.expect_navigation():
        page.click("button[name=_refresh]")
    assert page.input_value("#mcf-place-province") == "75"
    page.select_option("#mcf-place", "25279")
    assert _submitted(page) == {"data": {"place": "25279"}, "errors": []}
    context.close()
