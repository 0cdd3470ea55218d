"""The group rule: a group with required fields is required when shown, unless "x-optional": true."""

import json

from conftest import ROOT, form_of, soup
from werkzeug.datastructures import MultiDict

from app.forms.engine import compile_schema

WARD = {"type": "object", "title": "Người được giám hộ", "required": ["full_name", "date_of_birth"],
        "properties": {"full_name": {"type": "string", "title": "Họ và tên"},
                       "date_of_birth": {"type": "string", "format": "date", "title": "Ngày sinh"},
                       "note": {"type": "string", "title": "Ghi chú"}}}


def test_required_fields_of_a_group_not_listed_in_required_are_enforced(in_vi):
    form = form_of({"ward": WARD, "other": {"type": "string"}})
    errors = form.validate({"other": "x"}, locale="vi")  # the group left out entirely (API or empty form)
    assert [(e.path, e.message) for e in errors] == [
        ("/ward/full_name", "Họ và tên: vui lòng nhập thông tin này"),
        ("/ward/date_of_birth", "Ngày sinh: vui lòng nhập ngày")]
    assert errors[0].section == "Người được giám hộ"
    assert form.validate(form.from_formdata(MultiDict([("other", "x")])), locale="vi") == errors
    assert form.validate({"ward": {"full_name": "An", "date_of_birth": "2015-01-02"}}) == []


def test_such_a_group_is_shown_as_required_and_compile_warns_about_it():
    form = form_of({"ward": WARD})
    html = soup(form.render())
    assert html.select_one("#mcf-ward > legend .mcf-required") is not None
    assert html.select_one("#mcf-ward-full_name").has_attr("required")
    assert form.warning_texts("en") == [
        '#/properties/ward: this group has required fields but is not itself required, so it is treated as '
        'required; list it in "required", or add "x-optional": true if the citizen may leave it all empty']
    assert form_of({"ward": WARD}, required=["ward"]).warnings == []


def test_an_x_optional_group_may_be_left_empty_but_not_half_filled(in_vi):
    form = form_of({"period": {**WARD, "x-optional": True}})
    assert form.warnings == [] and form.validate({}) == []
    assert form.validate(form.from_formdata(MultiDict([("period.full_name", "")]))) == []
    errors = form.validate({"period": {"note": "x"}}, locale="vi")
    assert [e.path for e in errors] == ["/period/full_name", "/period/date_of_birth"]
    html = soup(form.render(locale="vi"))
    hint = html.select_one("#mcf-period-optional")
    assert hint.get_text().startswith("Để trống cả phần này nếu không có")
    assert html.select_one("#mcf-period")["aria-describedby"] == "mcf-period-optional"
    assert not html.select_one("#mcf-period-full_name").has_attr("required")


def test_a_conditional_group_is_required_only_while_its_condition_holds():
    schema = {"type": "object", "properties": {"has_guardian": {"type": "boolean"}, "ward": WARD},
              "if": {"properties": {"has_guardian": {"const": True}}, "required": ["has_guardian"]},
              "then": {"properties": {"ward": {"title": "Người được giám hộ"}}}}
    form = compile_schema(schema)
    assert form.validate({"has_guardian": False}) == []
    assert [e.path for e in form.validate({"has_guardian": True})] == ["/ward/full_name", "/ward/date_of_birth"]


def test_nested_groups_and_groups_inside_repeatable_items():
    inner = {"type": "object", "title": "Địa chỉ", "required": ["street"], "properties": {"street": {"type": "string"}}}
    form = form_of({"person": {"type": "object", "properties": {"address": inner}},
                    "kids": {"type": "array", "items": {"type": "object", "properties": {"address": inner}}}})
    assert [e.path for e in form.validate({"kids": [{}]})] == ["/person/address/street", "/kids/0/address/street"]


def test_the_shipped_optional_section_stays_optional():
    path = ROOT / "forms_schema" / "1.004873-cap-giay-xac-nhan-tinh-trang-hon-nhan.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    form = compile_schema(definition["schema"], definition["ui_schema"])
    assert form.warnings == []
    assert not any(e.path.startswith("/period") for e in form.validate({}))
