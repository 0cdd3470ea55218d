"""Hostile or broken input always yields FieldErrors, never an exception."""

import pytest
from werkzeug.datastructures import MultiDict

from app.forms.engine import validate


@pytest.mark.parametrize("junk", [None, 1, "x", [], [1, {"a": []}], {"requester": "x"}, {"child": [1, 2]},
                                  {"siblings": {"0": {}}}, {"copies": True}, {"mother": {"full_name": ["a"] * 50}},
                                  {"child": {"full_name": "x" * 100_000}}, {"x" * 1000: 1}])
def test_wrong_shapes_give_field_errors(birth_form, junk):
    errors = birth_form.validate(junk)
    assert errors and all(isinstance(e.path, str) and e.message for e in errors)


def test_deep_nesting_is_reported_at_the_root(birth_form):
    deep: object = "x"
    for _ in range(5000):
        deep = {"a": deep}
    errors = birth_form.validate({"child": deep})
    assert [e.path for e in errors] == [""]
    assert [e.path for e in validate({"type": "object"}, deep)] == [""]


def test_recursive_schema_recursion_error_is_caught():
    schema = {"$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"}
    nested: list = []
    for _ in range(60):
        nested = [nested]
    assert validate(schema, nested) == []
    assert validate(schema, [[["x"]]])[0].path == "/0/0/0"


def test_garbage_form_data_converts_without_exceptions(birth_form):
    formdata = MultiDict([("child.full_name", "\x00<b>"), ("siblings.x.name", "a"), ("siblings.99999999999.name", "b"),
                          ("copies", "1e400"), ("father_known", "perhaps"), ("unknown", "1"), ("_add", "nope.0")])
    data, handled = birth_form.handle_array_buttons(formdata)
    assert handled and data["child"]["full_name"] == "\x00<b>"
    assert isinstance(birth_form.validate(data), list)
