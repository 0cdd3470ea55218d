"""Messages and texts in Vietnamese and English, from a request's locale or an argument."""

from conftest import form_of, soup

from app.forms.engine import validate

MOTHER = {"type": "object", "title": "Mẹ", "x-i18n": {"en": {"title": "Mother"}}, "required": ["full_name"],
          "properties": {"full_name": {"type": "string", "title": "Họ và tên của mẹ",
                                       "x-i18n": {"en": {"title": "Mother's full name"}}}}}


def test_required_message_in_both_languages(in_vi):
    form = form_of({"mother": MOTHER}, required=["mother"])
    assert form.validate({"mother": {}}, locale="vi")[0].message == "Họ và tên của mẹ: bắt buộc nhập"
    assert form.validate({"mother": {}}, locale="en")[0].message == "Mother's full name: is required"


def test_locale_comes_from_the_request(babel_app):
    form = form_of({"mother": MOTHER}, required=["mother"])
    with babel_app.test_request_context("/?lang=en"):
        assert form.validate({"mother": {}})[0].message == "Mother's full name: is required"
        assert soup(form.render()).select_one("legend").get_text().startswith("Mother")
    with babel_app.test_request_context("/"):
        assert form.validate({"mother": {}})[0].message == "Họ và tên của mẹ: bắt buộc nhập"


def test_vietnamese_messages_per_keyword(in_vi):
    schema = {"type": "object", "properties": {
        "n": {"type": "integer", "title": "Số con", "minimum": 1},
        "s": {"type": "string", "title": "Tên", "minLength": 2},
        "p": {"type": "string", "title": "Điện thoại", "format": "vn-phone"},
        "a": {"type": "integer", "title": "Tuổi"}}}
    errors = {e.path: e.message for e in validate(schema, {"n": 0, "s": "a", "p": "123", "a": "abc"}, locale="vi")}
    assert errors == {"/n": "Số con: phải lớn hơn hoặc bằng 1", "/s": "Tên: phải có ít nhất 2 ký tự",
                      "/p": "Điện thoại: phải là số điện thoại Việt Nam hợp lệ", "/a": "Tuổi: phải là số nguyên"}


def test_numbers_in_messages_follow_the_locale(in_vi):
    schema = {"type": "object", "properties": {"fee": {"type": "integer", "title": "Lệ phí", "maximum": 1000000}}}
    assert validate(schema, {"fee": 2000000}, locale="vi")[0].message == "Lệ phí: phải nhỏ hơn hoặc bằng 1.000.000"
    assert validate(schema, {"fee": 2000000}, locale="en")[0].message == "Lệ phí: must be at most 1,000,000"


def test_item_labels_name_the_group_and_position(in_vi):
    schema = {"type": "object", "properties": {"kids": {"type": "array", "title": "Con", "items": {
        "type": "object", "required": ["name"], "properties": {"name": {"type": "string", "title": "Tên"}}}}}}
    assert validate(schema, {"kids": [{"name": "A"}, {}]}, locale="vi")[0].message == "Con, mục 2 › Tên: bắt buộc nhập"


def test_buttons_and_summary_are_translated(in_vi):
    form = form_of({"kids": {"type": "array", "items": {"type": "string"}}, "ok": {"type": "boolean", "title": "Đồng ý"}},
                   required=["ok"])
    html = soup(form.render({"kids": [""]}, form.validate({}), locale="vi"))
    assert html.select_one(".mcf-add").get_text() == "Thêm"
    assert html.select_one(".mcf-remove").get_text().startswith("Xoá")
    assert html.select_one(".mcf-error-summary h2").get_text() == "Vui lòng sửa các lỗi sau"
    assert form.readonly_rows({"ok": True}, locale="vi")[-1] == ("Đồng ý", "Có", 0)
