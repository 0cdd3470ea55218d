"""compile_schema reports every problem with its pointer; compile_cached memoizes."""

import pytest

from app.forms.engine import SchemaError, compile_cached, compile_schema


def _problems(schema, ui=None):
    with pytest.raises(SchemaError) as info:
        compile_schema(schema, ui)
    return info.value.problems_in("en")


def test_several_problems_are_reported_at_once_each_with_its_pointer():
    schema = {
        "type": "object",
        "required": ["name", "ghost"],
        "properties": {
            "name": {"type": "string", "format": "uri"},
            "code": {"type": "string", "enum": ["A1", "B2"]},
            "remote": {"$ref": "https://example.org/person.json"},
            "odd": {"type": "string", "patternProperties": {}},
            "gone": {"$ref": "#/$defs/missing"},
            "prefilled": {"type": "string", "x-prefill": "shoe_size"},
        },
    }
    ui = {"name": {"ui:widget": "password"}, "nothing": {}, "ui:order": ["code", "name"], "code": {"ui:colour": "red"}}
    problems = _problems(schema, ui)
    expected = [
        "#/required: required property 'ghost'",
        "#/properties/name/format: unsupported format 'uri'",
        "#/properties/code: choice 'A1' needs a title",
        "#/properties/remote/$ref: remote $ref",
        "#/properties/odd/patternProperties: unsupported keyword",
        "#/properties/gone/$ref: $ref '#/$defs/missing' points to nothing",
        "#/properties/prefilled/x-prefill: unknown x-prefill",
        "ui_schema#/name/ui:widget: unsupported widget 'password'",
        "ui_schema#/nothing: 'nothing' is not a property",
        "ui_schema#/ui:order: ui:order lacks",
        "ui_schema#/code/ui:colour: unsupported UI keyword",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_meta_schema_violations_are_reported_with_pointers():
    problems = _problems({"type": "object", "properties": {"a": {"type": "strin"}, "b": {"minLength": -1}}})
    assert any(p.startswith("#/properties/a/type: invalid JSON Schema") for p in problems)
    assert any(p.startswith("#/properties/b/minLength: invalid JSON Schema") for p in problems)


def test_enum_titles_rule():
    compile_schema({"type": "object", "properties": {"e": {"enum": ["Kinh", "Tày", "Hoa kiều", "Nùng"]}}})
    compile_schema({"type": "object", "properties": {"e": {"enum": ["01", "02"]}}}, {"e": {"ui:enumNames": ["Một", "Hai"]}})
    compile_schema({"type": "object", "properties": {"e": {"enum": ["x"], "x-i18n": {"en": {"enumNames": ["X"]}}}}},
                   {"e": {"ui:enumNames": ["Ích"]}})
    assert _problems({"type": "object", "properties": {"e": {"enum": ["male", "female"]}}})
    assert _problems({"type": "object", "properties": {"e": {"enum": [1, 2]}}})
    problems = _problems({"type": "object", "properties": {"e": {"enum": ["a", "b"]}}}, {"e": {"ui:enumNames": ["A"]}})
    assert any("one title per enum value" in p for p in problems)


def test_widget_must_suit_the_field():
    problems = _problems({"type": "object", "properties": {"n": {"type": "integer"}}}, {"n": {"ui:widget": "textarea"}})
    assert problems == ["ui_schema#/n/ui:widget: unsupported widget 'textarea' for a integer field"]


def test_one_of_must_be_consts_and_root_must_be_an_object():
    assert any("oneOf is supported only" in p for p in _problems(
        {"type": "object", "properties": {"x": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}))
    assert any("must be of type object" in p for p in _problems({"type": "string"}))


def test_supported_keywords_compile():
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$comment": "ok",
        "$defs": {"name": {"type": "string", "minLength": 1, "maxLength": 50}},
        "type": "object", "title": "T", "description": "D", "additionalProperties": False,
        "required": ["a"],
        "properties": {
            "a": {"$ref": "#/$defs/name", "title": "A", "readOnly": True},
            "b": {"type": ["integer", "null"], "minimum": 0, "maximum": 9, "multipleOf": 1},
            "c": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            "d": {"type": "string", "pattern": "^x", "default": "x", "examples": ["x1"]},
            "e": {"allOf": [{"type": "string"}, {"maxLength": 3}]},
            "f": {"type": "array", "items": {"enum": ["Một", "Hai"]}, "minItems": 0, "maxItems": 2, "uniqueItems": True},
            "g": {"anyOf": [{"const": "x", "title": "X"}]},
            "h": {"type": "string", "const": "Đồng ý"},
        },
        "dependentRequired": {"b": ["c"]},
        "dependentSchemas": {"c": {"properties": {"d": {"not": {"const": "y"}}}}},
        "allOf": [{"if": {"properties": {"b": {"const": 1}}}, "then": {"required": ["e"]}, "else": {}}],
    }
    form = compile_schema(schema, {"ui:order": ["*", "a"]})
    assert [f.key for f in form.fields][-1] == "a"


def test_compile_cached_returns_the_same_form_per_key():
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    first = compile_cached(("1.001193", 1), schema)
    assert compile_cached(("1.001193", 1), schema) is first
    assert compile_cached(("1.001193", 2), schema) is not first


def test_compile_does_not_modify_the_callers_schema():
    import copy

    schema = {"type": "object", "properties": {"f": {"type": "array", "items": {"$ref": "#/$defs/c"}}},
              "$defs": {"c": {"enum": ["Một"]}}}
    before = copy.deepcopy(schema)
    compile_schema(schema)
    assert schema == before


def test_the_compiled_forms_kept_are_bounded_by_what_a_worker_can_hold():
    """0.1-0.7 MB each (docs/performance.md, "Worker memory"): the least recently used go."""
    from app.forms.engine import CACHE_SIZE, cached_form, compile_cached

    schema = {"type": "object", "properties": {"name": {"type": "string", "title": "Tên"}}}
    for number in range(40):
        compile_cached(("bound", number), schema)
    kept = [n for n in range(40) if cached_form(("bound", n)) is not None]
    assert CACHE_SIZE <= 32 and kept == list(range(40 - CACHE_SIZE, 40))
