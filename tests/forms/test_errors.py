"""Validation errors: one per field (the most useful), written as what to do, naming their section."""

import json

from conftest import ROOT, form_of, soup

from app.forms.engine import compile_schema
from tests.portal.data import birth_data

BIRTH = json.loads((ROOT / "forms_schema" / "1.001193-dang-ky-khai-sinh.json").read_text(encoding="utf-8"))


def _birth():
    return compile_schema(BIRTH["schema"], BIRTH["ui_schema"])


def test_an_11_digit_id_gives_one_message_saying_what_to_do(in_vi):
    errors = _birth().validate({"mother_known": True, "mother": {"citizen_id": "00109012345", "nationality": "VN", "id_type": "cccd"}}, locale="vi")
    at_id = [e for e in errors if e.path == "/mother/citizen_id"]
    assert [(e.keyword, e.message) for e in at_id] == [
        ("format", "Số định danh cá nhân: vui lòng nhập đủ 12 chữ số, đúng như trên thẻ căn cước")]
    assert len({e.path for e in errors}) == len(errors)


def test_each_error_names_its_field_and_section(in_vi):
    errors = {e.path: e for e in _birth().validate({"mother_known": True, "mother": {"nationality": "VN"}}, locale="vi")}
    name = errors["/mother/full_name"]
    assert (name.label, name.section) == ("Họ, chữ đệm và tên", "Thông tin người mẹ")
    assert name.title == "Thông tin người mẹ – Họ, chữ đệm và tên"
    assert name.message == "Họ, chữ đệm và tên: vui lòng nhập thông tin này"
    assert name.to_dict() == {"path": "/mother/full_name", "message": name.message}
    assert errors["/requester"].section == "" and errors["/requester"].message.endswith("vui lòng khai phần này")


def test_the_error_summary_names_the_section_and_the_field_keeps_the_short_message(in_vi):
    form = _birth()
    errors = form.validate({"mother_known": True, "mother": {"nationality": "VN"}}, locale="vi")
    html = soup(form.render({"mother_known": True, "mother": {"nationality": "VN"}}, errors, locale="vi"))
    links = {a.get_text(): a["href"] for a in html.select(".mcf-error-summary a")}
    assert links["Thông tin người mẹ – Họ, chữ đệm và tên: vui lòng nhập thông tin này"] == "#mcf-mother-full_name"
    inline = html.select_one("#mcf-mother-full_name-error").get_text()
    assert inline == "Họ, chữ đệm và tên: vui lòng nhập thông tin này"


def _summary_order(form, data):
    html = soup(form.render(data, form.validate(data, locale="vi"), locale="vi"))
    targets = [a["href"][1:] for a in html.select(".mcf-error-summary a")]
    on_page = [e["id"] for e in html.select(".mcf-form [id]") if e["id"] in targets]
    return targets, on_page


def test_the_error_summary_lists_the_errors_in_the_order_of_the_page(in_vi):
    # jsonschema reports a condition's `required` after every error under `properties`: the
    # missing birth notice (mother's section) came after the father's ID number.
    data = birth_data()
    del data["birth_notice"]
    data["father"]["citizen_id"] = "1"
    targets, on_page = _summary_order(_birth(), data)
    assert targets == ["mcf-birth_notice", "mcf-father-citizen_id"] == on_page
    # …and the keywords in the order the schema writes them, whatever ui:order shows first
    form = compile_schema({"type": "object", "required": ["b", "c"], "properties": {
        "a": {"type": "string", "title": "A", "minLength": 3}, "b": {"type": "string", "title": "B"},
        "c": {"type": "object", "title": "C", "required": ["x"],
              "properties": {"x": {"type": "string", "title": "X"}}}}},
        {"ui:order": ["c", "b", "a"]})
    targets, on_page = _summary_order(form, {"a": "x", "c": {}})
    assert targets == ["mcf-c-x", "mcf-b", "mcf-a"] == on_page


def test_items_of_repeatable_groups_are_sections(in_vi):
    form = form_of({"kids": {"type": "array", "title": "Con", "items": {"type": "object", "title": "Con",
                    "required": ["name"], "properties": {"name": {"type": "string", "title": "Tên"}}}}})
    error = form.validate({"kids": [{"name": "A"}, {}]}, locale="vi")[0]
    assert (error.path, error.section, error.summary_text) == ("/kids/1/name", "Con, mục 2",
                                                               "Con, mục 2 – Tên: vui lòng nhập thông tin này")


def test_the_most_useful_message_wins(in_vi):
    form = form_of({"code": {"type": "string", "title": "Mã", "minLength": 3, "pattern": "^[A-Z]+$"},
                    "ref": {"type": "string", "title": "Số hiệu", "pattern": "^[0-9]+/QĐ$", "examples": ["12/QĐ"]},
                    "n": {"type": "integer", "title": "Số bản", "minimum": 1}})
    errors = {e.path: e.message for e in form.validate({"code": "a", "ref": "x", "n": "hai"}, locale="vi")}
    assert errors == {"/code": "Mã: vui lòng nhập ít nhất 3 ký tự",
                      "/ref": "Số hiệu: vui lòng nhập đúng định dạng, ví dụ 12/QĐ",
                      "/n": "Số bản: vui lòng nhập số nguyên, ví dụ 2"}


def test_english_messages_say_what_to_do_too():
    form = form_of({"pick": {"enum": ["Một", "Hai"], "title": "Pick"}, "day": {"type": "string", "format": "date", "title": "Day"}},
                   required=["pick", "day"])
    assert [e.message for e in form.validate({}, locale="en")] == ["Pick: choose one of the options", "Day: enter the date"]
