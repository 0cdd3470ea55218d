"""Messages and texts in Vietnamese and English, from a request's locale or an argument."""

from conftest import form_of, soup

from app.forms.engine import validate

MOTHER = {"type": "object", "title": "Mẹ", "x-i18n": {"en": {"title": "Mother"}}, "required": ["full_name"],
          "properties": {"full_name": {"type": "string", "title": "Họ và tên của mẹ",
                                       "x-i18n": {"en": {"title": "Mother's full name"}}}}}


def test_required_message_in_both_languages(in_vi):
    form = form_of({"mother": MOTHER}, required=["mother"])
    assert form.validate({"mother": {}}, locale="vi")[0].message == "Họ và tên của mẹ: vui lòng nhập thông tin này"
    assert form.validate({"mother": {}}, locale="en")[0].message == "Mother's full name: enter this information"


def test_locale_comes_from_the_request(babel_app):
    form = form_of({"mother": MOTHER}, required=["mother"])
    with babel_app.test_request_context("/?lang=en"):
        assert form.validate({"mother": {}})[0].message == "Mother's full name: enter this information"
        assert soup(form.render()).select_one("legend").get_text().startswith("Mother")
    with babel_app.test_request_context("/"):
        assert form.validate({"mother": {}})[0].message == "Họ và tên của mẹ: vui lòng nhập thông tin này"


def test_vietnamese_messages_per_keyword(in_vi):
    schema = {"type": "object", "properties": {
        "n": {"type": "integer", "title": "Số con", "minimum": 1},
        "s": {"type": "string", "title": "Tên", "minLength": 2},
        "p": {"type": "string", "title": "Điện thoại", "format": "vn-phone"},
        "a": {"type": "integer", "title": "Tuổi"}}}
    errors = {e.path: e.message for e in validate(schema, {"n": 0, "s": "a", "p": "123", "a": "abc"}, locale="vi")}
    assert errors == {"/n": "Số con: vui lòng nhập số từ 1 trở lên", "/s": "Tên: vui lòng nhập ít nhất 2 ký tự",
                      "/p": "Điện thoại: vui lòng nhập số điện thoại Việt Nam: 10 chữ số bắt đầu bằng 0 "
                            "(máy bàn 11 chữ số), hoặc +84 và số bỏ chữ số 0 đầu",
                      "/a": "Tuổi: vui lòng nhập số nguyên, ví dụ 2"}


def test_numbers_in_messages_follow_the_locale(in_vi):
    schema = {"type": "object", "properties": {"fee": {"type": "integer", "title": "Lệ phí", "maximum": 1000000}}}
    assert validate(schema, {"fee": 2000000}, locale="vi")[0].message == "Lệ phí: vui lòng nhập số không quá 1.000.000"
    assert validate(schema, {"fee": 2000000}, locale="en")[0].message == "Lệ phí: enter a number of at most 1,000,000"


def test_item_labels_name_the_group_and_position(in_vi):
    schema = {"type": "object", "properties": {"kids": {"type": "array", "title": "Con", "items": {
        "type": "object", "required": ["name"], "properties": {"name": {"type": "string", "title": "Tên"}}}}}}
    error = validate(schema, {"kids": [{"name": "A"}, {}]}, locale="vi")[0]
    assert (error.message, error.label, error.section) == ("Tên: vui lòng nhập thông tin này", "Tên", "Con, mục 2")


def test_buttons_and_summary_are_translated(in_vi):
    form = form_of({"kids": {"type": "array", "items": {"type": "string"}}, "ok": {"type": "boolean", "const": True, "title": "Đồng ý"}},
                   required=["ok"])
    html = soup(form.render({"kids": [""]}, form.validate({}), locale="vi"))
    assert html.select_one(".mcf-add").get_text() == "Thêm"
    assert html.select_one(".mcf-remove").get_text().startswith("Xoá")
    assert html.select_one(".mcf-error-summary h2").get_text() == "Vui lòng sửa các lỗi sau"
    assert form.readonly_rows({"ok": True}, locale="vi")[-1] == ("Đồng ý", "Có", 0)
