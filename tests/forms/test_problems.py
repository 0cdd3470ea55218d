"""Definition problems: property-name syntax, every problem listed by JSON pointer, in Vietnamese or English."""

import json

import pytest

from app.forms.checks import is_property_name
from app.forms.engine import SchemaError, compile_schema
from app.forms.problems import json_syntax_message, parse_json


def _error(schema, ui=None, locale=None) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        compile_schema(schema, ui, locale=locale)
    return info.value


@pytest.mark.parametrize("name", ["full_name", "_x", "A1", "a" * 64])
def test_allowed_property_names(name):
    assert is_property_name(name)
    compile_schema({"type": "object", "properties": {name: {"type": "string"}}})


@pytest.mark.parametrize("name", ['a"onmouseover="alert(1)', "1abc", "họ_tên", "x y", "a-b", "a.b", "", "a" * 65, "<b>"])
def test_bad_property_names_are_refused_with_their_pointer(name):
    schema = {"type": "object", "properties": {"ok": {"type": "string"}, name: {"type": "string"}}}
    problems = _error(schema).problems_in("en")
    assert any(p.startswith(f"#/properties/{name}: the property name ") for p in problems), problems


def test_bad_names_are_found_in_groups_items_definitions_and_conditions():
    bad = {"type": "string"}
    schema = {"type": "object", "$defs": {"p": {"type": "object", "properties": {"x-y": bad}}},
              "properties": {"g": {"type": "object", "properties": {"a b": bad}},
                             "kids": {"type": "array", "items": {"type": "object", "properties": {"c'": bad}}},
                             "p": {"$ref": "#/$defs/p"}},
              "allOf": [{"if": {"properties": {"g": {"const": 1}}}, "then": {"properties": {"d\"": bad}}}]}
    pointers = {p.split(": ", 1)[0] for p in _error(schema).problems_in("en") if "property name" in p}
    assert pointers == {"#/$defs/p/properties/x-y", "#/properties/g/properties/a b",
                        "#/properties/kids/items/properties/c'", '#/allOf/0/then/properties/d"'}


def test_every_problem_is_listed_at_once_even_beside_meta_schema_errors(in_vi):
    schema = {"type": "object", "required": ["ghost"],
              "properties": {"a": {"type": "objekt"}, "b": {"type": "string", "minLength": -1},
                             "c": {"type": "string", "pattern": "("}}}
    problems = _error(schema).problems
    assert problems == [
        "#/properties/a/type: JSON Schema không hợp lệ: không có kiểu 'objekt'; hãy dùng string, number, "
        "integer, boolean, object, array hoặc null",
        "#/properties/b/minLength: JSON Schema không hợp lệ: giá trị phải từ 0 trở lên",
        "#/properties/c/pattern: mẫu (pattern) '(' không phải là biểu thức chính quy hợp lệ",
        "#/required: thuộc tính bắt buộc 'ghost' không có trong properties",
    ]


def test_problems_follow_the_locale(babel_app):
    schema = {"type": "object", "properties": {"x": {"type": "string", "format": "uri"}}}
    with babel_app.test_request_context("/?lang=en"):
        problems = _error(schema).problems
        assert len(problems) == 1
        assert problems[0].startswith("#/properties/x/format: unsupported format 'uri'; use one of date, date-time")
    with babel_app.test_request_context("/"):
        assert _error(schema).problems[0].startswith("#/properties/x/format: định dạng (format) 'uri' không được hỗ trợ")
    with babel_app.app_context():
        error = _error(schema, locale="en")
        assert error.problems[0].startswith("#/properties/x/format: unsupported format")
        assert error.problems_in("vi")[0].startswith("#/properties/x/format: định dạng")


def test_ui_schema_problems_name_their_document(in_vi):
    problems = _error({"type": "object", "properties": {"a": {"type": "string"}}}, {"b": {}, "a": {"ui:colour": 1}}).problems
    assert "ui_schema#/b: 'b' không phải là thuộc tính của nhóm này" in problems
    assert "ui_schema#/a/ui:colour: từ khoá giao diện 'ui:colour' không được hỗ trợ" in problems


def test_json_syntax_errors_say_where_and_what_in_vietnamese(in_vi):
    value, message = parse_json('{\n  "a": 1,\n  "b": \n}')
    assert value is None
    assert message == "Lỗi cú pháp JSON ở dòng 4, cột 1: thiếu giá trị hoặc giá trị không đúng cú pháp JSON"
    assert parse_json('{"a": 1}') == ({"a": 1}, None)
    with pytest.raises(json.JSONDecodeError) as info:
        json.loads('{"a": 1 "b": 2}')
    assert json_syntax_message(info.value) == "Lỗi cú pháp JSON ở dòng 1, cột 9: thiếu dấu phẩy"
    assert json_syntax_message(info.value, "en") == "JSON syntax error at line 1, column 9: a comma is missing"
