"""The provincial administrator's screens in headless Chromium, axe-core clean on every page:
units chosen by typing a name (staff accounts, offerings, import), notification texts that start
from the built-in text and name a wrong placeholder, the details form with English, and the
visual builder that previews as you build, sets conditions without JSON and keeps unsaved work."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app.extensions import db
from tests.factories import PASSWORD, UnitFactory, create_user
from tests.portal.smtp import free_port

pytestmark = pytest.mark.browser
TIMEOUT = 30_000


@pytest.fixture
def server(app, birth):
    with app.app_context():
        from app.units.operations import get_unit

        UnitFactory(code="25280", name="Xã Lộc Thạnh", search_name="xa loc thanh",
                    parent=get_unit("75"))
        db.session.commit()
        create_user("admin", "Admin")
    port = free_port()
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


@pytest.fixture
def admin_page(server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                   bypass_csp=True)  # axe-core is injected as a script tag
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.set_default_navigation_timeout(TIMEOUT)
    page.goto(server + "/account/login")
    page.fill("#login", "admin")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action$='/account/login'] button[type=submit]")
    yield page
    context.close()


def checked(page, axe) -> None:
    page.wait_for_load_state("load")
    nones = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
        [...el.attributes].filter(a => a.value === 'None').map(a => el.tagName + ' ' + a.name))""")
    assert nones == [], f"{page.url}: {nones}"
    axe(page)


def pick_by_name(page, typed: str, suggestion: str) -> None:
    """Type part of a unit's name in the picker's search box and take the suggestion, then Enter
    (as a keyboard user does: the datalist's choice fires `input` with the whole text)."""
    search = page.locator(".mc-unit-choice .mcf-unit-search")
    search.focus()
    search.press_sequentially(typed, delay=30)
    page.wait_for_function("""([text]) => [...document.querySelectorAll('.mc-unit-choice datalist option')]
        .some(o => o.value === text)""", arg=[suggestion])
    search.fill(suggestion)
    search.press("Enter")


def test_units_are_chosen_by_typing_a_name_on_every_admin_page(app, server, admin_page, axe):
    page = admin_page
    page.goto(server + "/admin/staff/new")
    checked(page, axe)
    assert page.is_hidden(".mc-unit-choice button[name=_refresh]")  # the script lists communes
    page.fill("#username", "canbo.locthanh")
    page.fill("#last_name", "Trần Văn")
    page.fill("#first_name", "Bình")
    page.fill("#email", "binh@example.test")
    pick_by_name(page, "Lộc Thạnh", "Xã Lộc Thạnh, Tỉnh Đồng Nai")
    chosen = page.locator(".mc-unit-choice [data-mc-chosen] label")
    chosen.first.wait_for()
    assert [t.strip() for t in chosen.all_inner_texts()] == ["Xã Lộc Thạnh, Tỉnh Đồng Nai (25280)"]
    page.wait_for_function("""() => document.querySelector('[data-mc-unit-status]')
        .textContent === 'Đã thêm: Xã Lộc Thạnh, Tỉnh Đồng Nai'""")  # said to screen readers
    checked(page, axe)
    # a second one, with the two selects, by keyboard only
    page.focus("[name='unit_pick.unit._province']")
    page.select_option("[name='unit_pick.unit._province']", "75")
    page.wait_for_selector("[name='unit_pick.unit'] option[value='25279']", state="attached")
    page.select_option("[name='unit_pick.unit']", "25279")
    page.focus(".mc-unit-add")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('[data-mc-chosen] li').length === 2")
    page.fill("#password", "Manh@Khoe2026")
    with page.expect_navigation():
        page.click("button.btn-primary")
    checked(page, axe)  # the account's page: its units by name
    assert sorted(t.strip() for t in page.locator("[data-mc-chosen] label").all_inner_texts()) == [
        "Xã Lộc Thạnh, Tỉnh Đồng Nai (25280)", "Xã Lộc Tấn, Tỉnh Đồng Nai (25279)"]
    with app.app_context():
        from app.security.models import UserUnit
        from app.units.models import AdministrativeUnit

        codes = set(db.session.scalars(select(AdministrativeUnit.code).join(
            UserUnit, UserUnit.unit_id == AdministrativeUnit.id)))
        assert {"25279", "25280"} <= codes

    page.goto(server + "/admin/units-tools/assign/1.001193")
    checked(page, axe)
    pick_by_name(page, "loc thanh", "Xã Lộc Thạnh, Tỉnh Đồng Nai")  # without diacritics too
    page.locator("[data-mc-chosen] label").first.wait_for()
    with page.expect_navigation():
        page.click("text=Cung cấp tại các đơn vị này")
    checked(page, axe)
    assert "Xã Lộc Thạnh (25280)" in page.text_content("table")

    page.goto(server + "/admin/procedure-editor/import")
    checked(page, axe)


def test_notification_text_starts_from_the_default_and_the_preview_names_the_mistake(server, admin_page, axe):
    page = admin_page
    page.goto(server + "/admin/notification-texts/edit")
    checked(page, axe)
    assert page.input_value("#subject") == "Hồ sơ {code} đã được nộp"
    page.select_option("#event", "needs_supplement")
    assert page.input_value("#subject") == "Hồ sơ {code} cần bổ sung"
    assert "{note}" in page.input_value("#body")
    page.select_option("#channel", "sms")
    assert page.input_value("#body") == "MotCua: Hồ sơ {code} cần bổ sung. {lookup_url}"
    page.fill("#body", "Hồ sơ {code} cần bổ sung tại {don_vi")
    page.select_option("#event", "received")  # edited: a change of event keeps the text
    assert page.input_value("#body") == "Hồ sơ {code} cần bổ sung tại {don_vi"
    with page.expect_navigation():
        page.click("button[value=preview]")
    checked(page, axe)
    assert page.input_value("#body") == "Hồ sơ {code} cần bổ sung tại {don_vi"
    assert page.get_attribute("#body", "aria-invalid") == "true"
    described = page.get_attribute("#body", "aria-describedby").split()
    messages = " ".join(page.text_content(f"#{i}") for i in described)
    assert "“{don_vi”" in messages


def test_details_form_with_english_is_accessible(server, admin_page, axe):
    page = admin_page
    page.goto(server + "/admin/procedure-editor/1.001193/meta")
    checked(page, axe)
    page.fill("#agency_en", "Commune People's Committee")
    with page.expect_navigation():
        page.click("main form button.btn-primary")
    page.goto(server + "/procedures/1.001193?_l_=en")
    assert "Commune People's Committee" in page.text_content("main")


def _new_procedure(app) -> str:
    with app.app_context():
        from app.procedures import editing

        editing.save_procedure(None, {
            "code": "LOCAL.B19", "name": "Thử trình dựng", "field": "Khác", "tier": "commune",
            "level": 3, "processing_days": 1, "fee": 0, "delivery_methods": ["office"]})
        db.session.commit()
    return "LOCAL.B19"


def add_field(page, parent: str = "") -> int:
    """Press "Add field" (a post); the index of the new row."""
    if parent:
        page.select_option("#new_parent", parent)
    with page.expect_navigation():
        page.click("button[value=add]")
    return int(page.input_value("input[name=rows]")) - 1


def preview_text(page, locale: str = "vi") -> str:
    return page.text_content(f".mc-preview-pane[data-locale={locale}]") or ""


def test_the_builder_previews_as_you_build_sets_conditions_and_keeps_unsaved_work(app, server, admin_page, axe):
    import time

    code = _new_procedure(app)
    page = admin_page
    page.goto(f"{server}/admin/procedure-editor/{code}/builder")
    checked(page, axe)

    # previews as you build: typing a label shows the field, no button pressed
    first = add_field(page)
    started = time.monotonic()
    page.fill(f"#f-{first}-label", "Loại giấy tờ")
    page.wait_for_function("() => document.querySelector('.mc-preview-pane[data-locale=vi]')"
                           ".textContent.includes('Loại giấy tờ')")
    print(f"\nlive preview after typing: {time.monotonic() - started:.2f} s")
    page.select_option(f"#f-{first}-type", "radio")
    page.fill(f"#f-{first}-options", "cccd | Căn cước\nho_chieu | Hộ chiếu | Passport")
    page.wait_for_function("() => document.querySelector('.mc-preview-pane[data-locale=en]')"
                           ".textContent.includes('Passport')")

    # an empty group: said in Vietnamese, the rest of the form still previewed
    group = add_field(page)
    page.fill(f"#f-{group}-label", "Nơi cư trú")
    page.select_option(f"#f-{group}-type", "group")
    page.wait_for_selector(".mc-preview-notes")
    assert "Nơi cư trú: nhóm chưa có trường nào" in page.text_content(".mc-preview-notes")
    assert "Loại giấy tờ" in preview_text(page)
    checked(page, axe)

    # "show field B when A is …" with pickers; the preview hides and shows B
    number = add_field(page)
    page.fill(f"#f-{number}-label", "Số hộ chiếu")
    page.click(f"fieldset[data-row='{number}'] details.mc-condition summary")
    page.wait_for_selector(f"#f-{number}-when option:text('Loại giấy tờ')", state="attached")
    page.select_option(f"#f-{number}-when", label="Loại giấy tờ")
    page.select_option(f"#f-{number}-when_op", "equals")
    assert page.is_disabled(f"#f-{number}-when_op option[value=ticked]")  # not for a choice
    page.check(f"input[name='f-{number}-when_values'][value='ho_chieu']")
    pane = ".mc-preview-pane[data-locale=vi]"
    page.wait_for_function("""(pane) => { const f = document.querySelector(pane +
        " [data-mcf-name='preview-vi-so_ho_chieu']"); return f && f.hidden; }""", arg=pane)
    page.check(f"{pane} input[value='ho_chieu']")  # the citizen's choice, in the preview
    assert page.is_visible(f"{pane} [data-mcf-name='preview-vi-so_ho_chieu']")
    checked(page, axe)

    # unsaved work: leaving by a link asks first; the JSON editor tab carries it along
    with page.expect_navigation():
        page.click(f"button[value='remove:{group}']")  # the empty group goes; the rest stays
    number = 1
    assert page.input_value(f"#f-{number}-label") == "Số hộ chiếu"
    page.fill(f"#f-{number}-help", "Ghi như trong hộ chiếu")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.click(".mc-tabs a[href$='/versions']")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"] and page.url.endswith("/builder")
    with page.expect_navigation():
        page.click(".mc-tabs button[value=to_json]")
    checked(page, axe)
    schema = page.input_value("#schema")
    assert '"so_ho_chieu"' in schema and '"ho_chieu"' in schema and '"allOf"' in schema
    # the JSON editor's preview runs the conditions too: hidden until "Hộ chiếu" is chosen
    json_pane = ".mc-preview-pane[data-locale=vi]"
    assert page.is_hidden(f"{json_pane} [data-mcf-name='preview-vi-so_ho_chieu']")
    page.check(f"{json_pane} input[value='ho_chieu']")
    assert page.is_visible(f"{json_pane} [data-mcf-name='preview-vi-so_ho_chieu']")
    with app.app_context():
        from app.procedures.operations import get_draft, get_procedure

        assert get_draft(get_procedure(code)).schema["properties"] == {}  # still not saved
    with page.expect_navigation():
        page.click(".mc-tabs button[value=to_builder]")
    assert page.input_value("#f-1-label") == "Số hộ chiếu"
    assert page.input_value("#f-1-help") == "Ghi như trong hộ chiếu"
    assert page.eval_on_selector("#f-1-when", "s => s.selectedOptions[0].textContent") == "Loại giấy tờ"
    with page.expect_navigation():
        page.click("button[value=save]")
    with app.app_context():
        schema = get_draft(get_procedure(code)).schema
        assert schema["allOf"] == [{"if": {"properties": {"loai_giay_to": {"const": "ho_chieu"}},
                                           "required": ["loai_giay_to"]},
                                    "then": {"properties": {"so_ho_chieu": True}}}]
    checked(page, axe)
    leave = []
    page.on("dialog", lambda dialog: (leave.append(dialog.type), dialog.accept()))
    with page.expect_navigation():
        page.click(".mc-tabs a[href$='/versions']")  # saved: leaves without a question
    assert leave == []
