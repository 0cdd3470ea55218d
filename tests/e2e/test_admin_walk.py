"""A new provincial administrator, from the README and docs/admin.md alone, in headless Chromium:
logs in (landing on /admin/), Quản trị → Soạn thủ tục → Thủ tục mới, fills the details, builds
the form in the visual builder (fields of several types, a group, a condition set without JSON,
a required pledge), adds a required document, saves the draft, uploads the blank declaration, publishes it after the page says
what changes, and offers it at Xã Lộc Tấn picked by name. Then anyone finds it in that commune's
catalogue, and a citizen files it: the declaration refuses an unticked pledge. axe-core runs on
every page they pass and fails on any violation; no attribute anywhere reads "None"."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.e2e.test_admin_tools import server  # noqa: F401 - the portal with Lộc Tấn, Lộc Thạnh and admin
from tests.e2e.test_newcomers import captcha_text, checked, log_in, new_page
from tests.portal.data import pdf_bytes

pytestmark = pytest.mark.browser
CODE, NAME = "LOCAL.HOCTAP", "Đăng ký nhận hỗ trợ chi phí học tập"
PLEDGE = "Tôi cam đoan những thông tin trên là đúng sự thật"
TEMPLATE = "Đơn đề nghị hỗ trợ chi phí học tập"


def add_field(page, axe, label: str, kind: str = "text", required: bool = False,
              into: str = "") -> int:
    """docs/admin.md step 3.1: "Thêm trường" (into a group: chosen beside it), label, type,
    "Bắt buộc"; the index of the new row."""
    if into:
        page.select_option("#new_parent", label=f"nhóm {into}")
    with page.expect_navigation():
        page.click("button[value=add]")
    checked(page, axe)
    row = int(page.input_value("input[name=rows]")) - 1
    page.fill(f"#f-{row}-label", label)
    page.select_option(f"#f-{row}-type", kind)
    if required:
        page.check(f"[name='f-{row}-required']")
    return row


def preview_shows(page, text: str) -> None:
    """The preview follows every change (docs/admin.md step 3.6), no button pressed."""
    page.wait_for_function("""(text) => document.querySelector('.mc-preview-pane[data-locale=vi]')
        .textContent.includes(text)""", arg=text)


def build_and_publish(server, chromium, axe, blank) -> None:  # noqa: F811 - the server fixture
    page = new_page(chromium)
    page.goto(server + "/")
    page.click("a[href$='/account/login']")
    checked(page, axe)  # the one login page
    log_in(page, "admin")
    assert page.url.endswith("/admin/")  # the README: the back office at /admin/
    checked(page, axe)

    # 2. Quản trị → Soạn thủ tục → Thủ tục mới; details; Tạo và dựng biểu mẫu
    page.click(".navbar a.dropdown-toggle:has-text('Quản trị')")
    with page.expect_navigation():
        page.click(".navbar .dropdown-menu a:has-text('Soạn thủ tục')")
    checked(page, axe)
    with page.expect_navigation():
        page.click("a:has-text('Thủ tục mới')")
    checked(page, axe)
    page.fill("#code", CODE)
    page.fill("#name", NAME)
    page.fill("#name_en", "Registration for school cost support")
    page.fill("#field", "Giáo dục")
    page.fill("#processing_days", "5")
    page.fill("#agency", "Ủy ban nhân dân xã")
    page.fill("#steps", "Nộp hồ sơ\nỦy ban nhân dân xã xem xét\nTrả kết quả")
    with page.expect_navigation():
        page.click("button:has-text('Tạo và dựng biểu mẫu')")
    assert page.url.endswith(f"/{CODE}/builder")
    checked(page, axe)

    # 3. the form in the visual builder
    name = add_field(page, axe, "Họ, chữ đệm và tên học sinh", required=True)
    page.fill(f"#f-{name}-label_en", "Pupil's full name")
    add_field(page, axe, "Ngày sinh", "date", required=True)
    kind = add_field(page, axe, "Đối tượng", "radio", required=True)
    page.fill(f"#f-{kind}-options", "ho_ngheo | Hộ nghèo | Poor household\n"
                                    "can_ngheo | Hộ cận nghèo | Near-poor household\nkhac | Khác | Other")
    other = add_field(page, axe, "Ghi rõ đối tượng", required=True)
    page.click(f"fieldset[data-row='{other}'] details.mc-condition summary")  # Chỉ hiện khi…
    page.wait_for_selector(f"#f-{other}-when option:text('Đối tượng')", state="attached")
    page.select_option(f"#f-{other}-when", label="Đối tượng")
    page.select_option(f"#f-{other}-when_op", label="bằng")
    page.check(f"input[name='f-{other}-when_values'][value='khac']")
    add_field(page, axe, "Trường đang học", "group")
    # the group is offered by its name beside "Thêm trường" as soon as it has one
    page.wait_for_selector("#new_parent option:text('nhóm Trường đang học')", state="attached")
    school = add_field(page, axe, "Tên trường", required=True, into="Trường đang học")
    assert "(trong nhóm Trường đang học)" in page.text_content(f"fieldset[data-row='{school}'] legend")
    add_field(page, axe, "Lớp", "integer", into="Trường đang học")
    pledge = add_field(page, axe, PLEDGE, "boolean", required=True)
    page.fill(f"#f-{pledge}-key", "cam_doan")  # a key of one's own (step 3, below the list)
    page.fill("#documents", "giay_xac_nhan | Giấy xác nhận của nhà trường | có | pdf,jpg")
    preview_shows(page, PLEDGE)
    pane = ".mc-preview-pane[data-locale=vi]"
    assert page.is_hidden(f"{pane} [data-mcf-name='preview-vi-ghi_ro_doi_tuong']")
    page.check(f"{pane} input[value='khac']")  # the condition, tried in the preview
    assert page.is_visible(f"{pane} [data-mcf-name='preview-vi-ghi_ro_doi_tuong']")
    assert "Pupil's full name" in page.text_content(".mc-preview-pane[data-locale=en]")
    assert not page.locator(".mc-preview .alert-danger").count()
    checked(page, axe)
    with page.expect_navigation():
        page.click("button:has-text('Lưu bản nháp')")
    assert "Đã lưu bản nháp phiên bản 1" in page.text_content("body")
    checked(page, axe)

    # 4. Mẫu đơn: the blank declaration, for citizens to download
    with page.expect_navigation():
        page.click(".mc-tabs a:has-text('Mẫu đơn')")
    checked(page, axe)
    page.fill("#title", TEMPLATE)
    page.set_input_files("#file", str(blank))
    with page.expect_navigation():
        page.click("main form[enctype] button.btn-primary")
    assert TEMPLATE in page.text_content("table")
    checked(page, axe)

    # 5. Phiên bản → Xem các thay đổi và công bố → Đồng ý công bố
    with page.expect_navigation():
        page.click(".mc-tabs a:has-text('Phiên bản')")
    checked(page, axe)
    with page.expect_navigation():
        page.click("a:has-text('Xem các thay đổi và công bố phiên bản 1')")
    checked(page, axe)
    changes = page.locator(".mc-changes li").all_inner_texts()
    assert f"Thêm trường bắt buộc “{PLEDGE}” (/schema/properties/cam_doan)" in changes
    assert "Thêm giấy tờ bắt buộc “Giấy xác nhận của nhà trường” (/required_documents/0)" in changes
    with page.expect_navigation():
        page.click("button:has-text('Đồng ý công bố phiên bản 1')")
    assert "Đã công bố phiên bản 1" in page.text_content("main")
    checked(page, axe)

    # 6. Đơn vị cung cấp: the commune picked by name, never by code
    with page.expect_navigation():
        page.click(".mc-tabs a:has-text('Đơn vị cung cấp')")
    checked(page, axe)
    search = page.locator(".mc-unit-choice .mcf-unit-search")
    search.focus()
    search.press_sequentially("Lộc Tấn", delay=30)
    suggestion = "Xã Lộc Tấn, Tỉnh Đồng Nai"
    page.wait_for_function("""(text) => [...document.querySelectorAll('.mc-unit-choice datalist option')]
        .some(o => o.value === text)""", arg=suggestion)
    search.fill(suggestion)
    search.press("Enter")  # Thêm đơn vị này
    page.locator("[data-mc-chosen] label").first.wait_for()
    checked(page, axe)
    with page.expect_navigation():
        page.click("button:has-text('Cung cấp tại các đơn vị này')")
    assert "Xã Lộc Tấn (25279)" in page.text_content("table")
    checked(page, axe)
    page.context.close()


def file_as_citizen(app, server, chromium, axe, scan) -> str:  # noqa: F811
    # anyone: the procedure is in Xã Lộc Tấn's catalogue
    page = new_page(chromium)
    page.goto(server + "/")
    with page.expect_navigation():
        page.select_option("#province", "75")
    with page.expect_navigation():
        page.select_option("#unit", "25279")
    checked(page, axe)
    with page.expect_navigation():
        page.click(f"text={NAME}")
    assert "Giấy xác nhận của nhà trường (bắt buộc)" in page.text_content("main")
    assert page.is_visible(f"main a:has-text('{TEMPLATE}')")  # the uploaded template
    checked(page, axe)
    page.click(".cta a")
    checked(page, axe)
    log_in(page, "citizen")
    checked(page, axe)
    page.check("#agree")
    page.click("#start-form button[type=submit]")
    page.wait_for_selector("#declaration-form")
    checked(page, axe)

    # the declaration: the pledge unticked and the condition's field empty are refused
    page.fill("[name='ho_chu_dem_va_ten_hoc_sinh']", "Nguyễn Thị Hoa")
    page.fill("[name='ngay_sinh']", "2014-05-02")
    assert page.is_hidden("[name='ghi_ro_doi_tuong']")
    page.check("[name='doi_tuong'][value='khac']")
    assert page.is_visible("[name='ghi_ro_doi_tuong']")
    page.fill("[name='truong_dang_hoc.ten_truong']", "Trường Tiểu học Lộc Tấn")
    with page.expect_navigation():
        page.click("button[name=_next]")
    summary = page.text_content(".mcf-error-summary")
    assert f"{PLEDGE}: bạn cần đánh dấu vào ô này để xác nhận" in summary
    assert "Ghi rõ đối tượng: vui lòng nhập thông tin này" in summary
    assert page.input_value("[name='truong_dang_hoc.ten_truong']") == "Trường Tiểu học Lộc Tấn"
    checked(page, axe)
    page.fill("[name='ghi_ro_doi_tuong']", "Con thương binh")
    page.check("[name='cam_doan']")
    with page.expect_navigation():
        page.click("button[name=_next]")
    page.wait_for_selector("#file-giay_xac_nhan")
    checked(page, axe)
    page.set_input_files("#file-giay_xac_nhan", str(scan))
    page.click("button[name=next]")
    page.wait_for_selector("#delivery-form")
    checked(page, axe)
    page.click("#delivery-form .actions button[type=submit]")
    page.wait_for_selector(".button[href$='/submit']")
    checked(page, axe)  # check your answers
    page.click(".button[href$='/submit']")
    page.wait_for_selector("#submit-form")
    checked(page, axe)
    page.check("#pledge")
    page.fill("#captcha", captcha_text(app, page))
    with page.expect_navigation():
        page.click("#submit-form button[data-once]")
    code = page.text_content("#dossier-code").strip()
    checked(page, axe)
    page.context.close()
    return code


def test_a_new_administrator_adds_a_procedure_that_citizens_can_file(app, server, chromium, axe, tmp_path):  # noqa: F811
    scan, blank = tmp_path / "giay-xac-nhan.pdf", tmp_path / "don-de-nghi.pdf"
    scan.write_bytes(pdf_bytes())
    blank.write_bytes(pdf_bytes())
    build_and_publish(server, chromium, axe, blank)
    code = file_as_citizen(app, server, chromium, axe, scan)
    with app.app_context():
        from app.dossiers.models import Dossier

        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        assert dossier.status == "submitted" and dossier.procedure.code == CODE
        assert dossier.data["cam_doan"] is True and dossier.data["ghi_ro_doi_tuong"] == "Con thương binh"
        assert dossier.data["truong_dang_hoc"] == {"ten_truong": "Trường Tiểu học Lộc Tấn"}
