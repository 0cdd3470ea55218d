"""The builder page: conditions set with pickers (no JSON), a live preview rendered by the form
engine, an empty group said in Vietnamese, and unsaved work carried between the builder and the
JSON editor. These posts are what the page sends with and without JavaScript."""
from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from app.procedures.operations import get_draft, get_procedure
from tests.admin.test_editor_pages import builder_form
from tests.factories import create_user
from tests.helpers import web_login

EDITOR = "/admin/procedure-editor"
FIELDS = [  # label, type, required, options, parent
    ("Loại giấy tờ", "radio", True, "cccd | Căn cước\nho_chieu | Hộ chiếu\nkhac | Khác", ""),
    ("Số định danh", "citizen_id", True, "", ""),
    ("Số giấy tờ", "text", True, "", ""),
    ("Đã kết hôn", "boolean", False, "", ""),
    ("Họ tên vợ/chồng", "text", False, "", ""),
]


@pytest.fixture
def draft(app, client):
    with app.app_context():
        create_user("admin", "Admin")
    web_login(client, "admin")
    response = client.post(f"{EDITOR}/new", data={
        "code": "LOCAL.019", "name": "Thử điều kiện", "field": "Khác", "tier": "commune",
        "level": "3", "delivery_methods": "office"})
    assert response.status_code == 302
    return "LOCAL.019"


def with_conditions(action: str) -> dict:
    form = builder_form(FIELDS, action)
    form.update({"f-1-when": "0", "f-1-when_op": "equals", "f-1-when_values": "cccd",
                 "f-2-when": "0", "f-2-when_op": "in", "f-2-when_values": ["ho_chieu", "khac"],
                 "f-4-when": "3", "f-4-when_op": "ticked"})
    return form


def _page(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_conditions_are_set_with_pickers_saved_as_the_engine_reads_them_and_shown_again(app, client, draft):
    saved = client.post(f"{EDITOR}/{draft}/builder", data=with_conditions("save"))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        schema = get_draft(get_procedure(draft)).schema
    assert schema["required"] == ["loai_giay_to"]
    assert schema["allOf"] == [
        {"if": {"properties": {"loai_giay_to": {"const": "cccd"}}, "required": ["loai_giay_to"]},
         "then": {"required": ["so_dinh_danh"]}},
        {"if": {"properties": {"loai_giay_to": {"enum": ["ho_chieu", "khac"]}},
                "required": ["loai_giay_to"]}, "then": {"required": ["so_giay_to"]}},
        {"if": {"properties": {"da_ket_hon": {"const": True}}, "required": ["da_ket_hon"]},
         "then": {"properties": {"ho_ten_vo_chong": True}}},
    ]
    page = _page(client.get(f"{EDITOR}/{draft}/builder"))
    assert not page.select(".alert-warning code")  # nothing locked: the builder edits it all
    when = page.select_one("#f-2-when")
    assert when.select_one("option[selected]").get_text() == "Loại giấy tờ"
    assert [o.get_text() for o in when.select("option")] == [  # siblings that can decide
        "— luôn hiển thị —", "Loại giấy tờ", "Số định danh", "Đã kết hôn", "Họ tên vợ/chồng"]
    assert page.select_one("#f-2-when_op option[selected]")["value"] == "in"
    ticked = [b["value"] for b in page.select("input[name=f-2-when_values][checked]")]
    assert ticked == ["ho_chieu", "khac"]
    assert [b.find_parent("label").get_text(strip=True) for b in page.select("input[name=f-2-when_values]")] == \
        ["Căn cước", "Hộ chiếu", "Khác"]  # values from the controlling field's options
    assert page.select_one("details.mc-condition[open] summary").get_text(" ", strip=True).startswith("Chỉ hiện khi")
    assert page.select_one("#f-4-when_op option[selected]")["value"] == "ticked"
    # the citizen's form shows and hides them (the preview is the engine's own rendering)
    wrapper = page.select_one(".mc-preview-pane[data-locale=vi] [data-mcf-name='preview-vi-so_giay_to']")
    assert json.loads(wrapper["data-mcf-when"])[0]["all"][0]["in"] == ["ho_chieu", "khac"]


def test_a_wrong_condition_is_said_in_vietnamese_and_nothing_typed_is_lost(app, client, draft):
    form = with_conditions("save")
    form["f-2-when_values"] = []
    response = client.post(f"{EDITOR}/{draft}/builder", data=form)
    assert response.status_code == 422
    page = _page(response)
    assert "Số giấy tờ: hãy chọn giá trị của “Loại giấy tờ” để trường này hiện ra." in \
        page.select_one(".alert-danger").get_text()
    assert page.select_one("#f-2-when option[selected]")["value"] == "0"
    assert page.select_one("#f-1-label")["value"] == "Số định danh"


def test_the_live_preview_renders_as_you_build_and_says_what_is_missing_in_vietnamese(app, client, draft):
    fields = [("Họ và tên", "text", True, "", ""), ("Nơi cư trú", "group", False, "", ""),
              ("Giới tính", "select", False, "", ""), ("", "text", False, "", "")]
    response = client.post(f"{EDITOR}/{draft}/builder/preview", data=builder_form(fields, "preview"),
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    body = response.get_json()
    assert "Họ và tên" in body["html"]["vi"] and "EN Họ và tên" in body["html"]["en"]
    assert "Nơi cư trú" not in body["html"]["vi"]  # not shown until it has a field
    assert body["notes"] == ["Nơi cư trú: nhóm chưa có trường nào; hãy thêm ít nhất một trường vào nhóm này.",
                             "Giới tính: hãy nhập các lựa chọn, mỗi dòng một lựa chọn."]
    assert not any("group" in n or "option" in n for n in body["notes"])  # no English block
    assert [r["label"] for r in body["rows"]] == ["Họ và tên", "Nơi cư trú", "Giới tính", ""]
    assert body["rows"][0] == {"index": 0, "parent": "", "key": "ho_va_ten", "label": "Họ và tên",
                               "type": "text", "options": []}
    with app.app_context():
        assert get_draft(get_procedure(draft)).schema["properties"] == {}  # nothing saved


def test_the_preview_endpoint_is_csrf_protected_and_for_administrators(app, client, draft, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    fields = [("Họ và tên", "text", True, "", "")]
    assert client.post(f"{EDITOR}/{draft}/builder/preview",
                       data=builder_form(fields, "preview")).status_code == 400
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.app_context():
        create_user("officer", "Officer")
    other = app.test_client()
    web_login(other, "officer")
    assert other.post(f"{EDITOR}/{draft}/builder/preview",
                      data=builder_form(fields, "preview")).status_code in (302, 403)


def test_admin_text_is_escaped_in_the_preview_and_the_pickers(app, client, draft):
    evil = '<img src=x onerror="alert(1)">'
    fields = [(evil, "radio", True, f"a | {evil}\nb | B", ""), ("Khác", "text", False, "", "")]
    form = builder_form(fields, "preview")
    form.update({"f-1-when": "0", "f-1-when_op": "equals", "f-1-when_values": "a",
                 "f-1-help": evil})
    page = client.post(f"{EDITOR}/{draft}/builder", data=form).get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page
    body = client.post(f"{EDITOR}/{draft}/builder/preview", data=form).get_json()
    assert "<img" not in body["html"]["vi"] and "&lt;img" in body["html"]["vi"]


def test_unsaved_work_goes_from_the_builder_to_the_json_editor_and_back(app, client, draft):
    docs = "giay_to | Giấy tờ tùy thân | yes | pdf"
    form = with_conditions("to_json")
    form["documents"] = docs
    json_page = client.post(f"{EDITOR}/{draft}/builder", data=form)
    assert json_page.status_code == 200
    page = _page(json_page)
    schema = json.loads(page.select_one("#schema").get_text())
    assert "so_giay_to" in schema["properties"] and len(schema["allOf"]) == 3
    assert page.select_one("#documents").get_text().strip() == docs
    assert page.select_one("form#mc-json-editor")["action"].endswith(f"/{draft}/form")
    assert page.select_one("form#mc-json-editor").has_attr("data-unsaved")
    assert "chưa được lưu" in page.select_one(".mc-unsaved").get_text()
    tab = page.select_one(".mc-tabs button[name=action][value=to_builder]")
    assert tab["form"] == "mc-json-editor" and tab.get_text() == "Dựng biểu mẫu"
    with app.app_context():
        assert get_draft(get_procedure(draft)).schema["properties"] == {}  # not saved by switching

    schema["properties"]["so_giay_to"]["title"] = "Số hộ chiếu hoặc giấy tờ khác"  # edited as JSON
    back = client.post(f"{EDITOR}/{draft}/form", data={
        "schema": json.dumps(schema, ensure_ascii=False), "ui_schema": page.select_one("#ui_schema").get_text(),
        "documents": docs, "action": "to_builder"})
    assert back.status_code == 200
    builder = _page(back)
    assert builder.select_one("#f-2-label")["value"] == "Số hộ chiếu hoặc giấy tờ khác"
    assert builder.select_one("#f-2-when option[selected]").get_text() == "Loại giấy tờ"
    assert builder.select_one("textarea#documents").get_text().strip() == docs  # shown, editable
    assert builder.select_one("form#mc-builder").has_attr("data-unsaved")
    saved = client.post(f"{EDITOR}/{draft}/builder", data={
        **{i["name"]: i.get("value", "") for i in builder.select("form#mc-builder input[type=hidden]")},
        **{i["name"]: i.get("value", "") for i in builder.select("form#mc-builder input:not([type])")},
        **{s["name"]: (s.select_one("option[selected]") or s.select_one("option"))["value"]
           for s in builder.select("form#mc-builder select")},
        **{t["name"]: t.get_text().strip() for t in builder.select("form#mc-builder textarea")},
        **{c["name"]: c["value"] for c in builder.select("form#mc-builder input[type=checkbox][checked]")
           if not c["name"].endswith("when_values")},
        "f-2-when_values": ["ho_chieu", "khac"], "f-1-when_values": "cccd", "action": "save"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.app_context():
        version = get_draft(get_procedure(draft))
        assert version.schema["properties"]["so_giay_to"]["title"] == "Số hộ chiếu hoặc giấy tờ khác"
        assert len(version.schema["allOf"]) == 3
        assert version.required_documents == [{"key": "giay_to", "title": "Giấy tờ tùy thân",
                                               "required": True, "accept": ["application/pdf"]}]


def test_a_form_the_builder_cannot_edit_stays_in_the_json_editor(app, client, draft):
    schema = {"type": "object", "properties": {"a": {"type": "string", "title": "A"}},
              "dependentRequired": {"a": ["a"]}}
    response = client.post(f"{EDITOR}/{draft}/form", data={
        "schema": json.dumps(schema), "ui_schema": "{}", "documents": "", "action": "to_builder"})
    assert response.status_code == 422
    page = _page(response)
    assert "không sửa được biểu mẫu này" in page.select_one(".alert-danger").get_text()
    assert json.loads(page.select_one("#schema").get_text()) == schema  # nothing lost


def test_a_builder_with_problems_stays_when_switching_to_json(app, client, draft):
    fields = [("Nơi cư trú", "group", False, "", "")]
    response = client.post(f"{EDITOR}/{draft}/builder", data=builder_form(fields, "to_json"))
    assert response.status_code == 422
    page = _page(response)
    assert page.select_one("#f-0-label")["value"] == "Nơi cư trú"
    assert "nhóm chưa có trường nào" in page.select_one(".alert-danger").get_text()


def test_a_form_the_builder_cannot_edit_is_previewed_whole(app, client, draft):
    from app.procedures.definitions import load_file
    from app.procedures.operations import import_definition
    from tests.portal.data import BIRTH_DEFINITION

    with app.app_context():
        import_definition(load_file(str(BIRTH_DEFINITION)))
        from app.extensions import db

        db.session.commit()
    page = _page(client.get(f"{EDITOR}/1.001193/builder"))
    assert page.select(".alert-warning code")  # $ref and $defs: edited as JSON
    preview = page.select_one(".mc-preview-pane[data-locale=vi]").get_text()
    assert "Thông tin người mẹ" in preview  # a $ref group the builder cannot read
    assert page.select_one("button[value=save]").has_attr("disabled")


def test_groups_are_offered_by_their_label_an_empty_one_is_a_note_and_documents_are_typed_here(app, client, draft):
    fields = [("Họ và tên", "text", True, "", ""), ("Trường đang học", "group", False, "", ""),
              ("Người đi cùng", "repeat", False, "", ""),
              ("Giấy tờ tùy thân", "group", False, "", "nguoi_di_cung")]
    page = _page(client.post(f"{EDITOR}/{draft}/builder", data=builder_form(fields, "preview")))
    offered = [(o["value"], o.get_text()) for o in page.select("#new_parent option")]
    assert offered == [("", "biểu mẫu"), ("truong_dang_hoc", "nhóm Trường đang học"),
                       ("nguoi_di_cung", "nhóm Người đi cùng"),
                       ("nguoi_di_cung.giay_to_tuy_than", "nhóm Người đi cùng › Giấy tờ tùy thân")]
    assert "(trong nhóm Người đi cùng)" in page.select_one("fieldset[data-row='3'] legend").get_text()
    # only looking: an empty group is a note beside the preview, not a refusal
    assert not page.select(".alert-danger")
    assert "Trường đang học: nhóm chưa có trường nào" in page.select_one(".mc-preview-notes").get_text()
    saving = _page(client.post(f"{EDITOR}/{draft}/builder", data=builder_form(fields, "save")))
    assert "Trường đang học: nhóm chưa có trường nào" in saving.select_one(".alert-danger").get_text()
    assert "Trường đang học" not in saving.select_one(".mc-preview-notes").get_text()  # said once

    # the required documents are written in the builder too, and saved with the form
    form = builder_form(fields[:1], "save")
    form["documents"] = "giay_xac_nhan | Giấy xác nhận của nhà trường | có | pdf,jpg"
    assert _page(client.get(f"{EDITOR}/{draft}/builder")).select_one("textarea#documents") is not None
    assert client.post(f"{EDITOR}/{draft}/builder", data=form).status_code == 302
    with app.app_context():
        docs = get_draft(get_procedure(draft)).required_documents
    assert docs == [{"key": "giay_xac_nhan", "title": "Giấy xác nhận của nhà trường", "required": True,
                     "accept": ["application/pdf", "image/jpeg"]}]
    shown = _page(client.get(f"{EDITOR}/{draft}/builder")).select_one("textarea#documents").get_text()
    assert shown.strip() == "giay_xac_nhan | Giấy xác nhận của nhà trường | yes | pdf,jpg"


def test_publishing_says_which_fields_a_new_group_holds_and_when_a_field_is_required(app, client, draft):
    from tests.admin.test_editor_pages import confirmation

    saved = client.post(f"{EDITOR}/{draft}/builder", data=builder_form(FIELDS, "save"))
    assert saved.status_code == 302
    client.post(f"{EDITOR}/{draft}/publish", data=confirmation(client.get(f"{EDITOR}/{draft}/publish")))
    witness = [("Thông tin người làm chứng", "group", True, "", ""),
               ("Họ và tên", "text", True, "", "thong_tin_nguoi_lam_chung"),
               ("Ngày sinh", "date", False, "", "thong_tin_nguoi_lam_chung")]
    form = builder_form(FIELDS + witness, "save")
    form.update({"f-1-when": "0", "f-1-when_op": "equals", "f-1-when_values": "cccd"})
    assert client.post(f"{EDITOR}/{draft}/builder", data=form).status_code == 302
    review = _page(client.get(f"{EDITOR}/{draft}/publish"))
    words = [li.get_text(strip=True) for li in review.select("ul.mc-changes li")]
    assert "Trường “Số định danh” nay bắt buộc nhập khi được hiển thị (khi “Loại giấy tờ” là “Căn cước”) " \
        "(/schema/properties/so_dinh_danh)" in words
    assert "Thêm nhóm bắt buộc “Thông tin người làm chứng” với các trường: Họ và tên (bắt buộc), Ngày sinh " \
        "(/schema/properties/thong_tin_nguoi_lam_chung)" in words
    assert not any("không bắt buộc" in w for w in words)
