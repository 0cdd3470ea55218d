"""The schema jsonschema runs for a compiled form: const choices checked as an enum, with the
same answers and the same messages as the form's own schema."""

import json

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator

from app.forms.engine import compile_schema, validate
from app.forms.validation import for_checking

BIRTH = json.loads((ROOT / "forms_schema" / "1.001193-dang-ky-khai-sinh.json").read_text(encoding="utf-8"))
CHOICES = {"oneOf": [{"const": "kinh", "title": "Kinh"}, {"const": "tay", "title": "Tày",
                                                          "x-i18n": {"en": {"title": "Tay"}}}]}
SCHEMA = {"type": "object", "required": ["ethnicity"],
          "properties": {"ethnicity": {"type": "string", "title": "Dân tộc", **CHOICES},
                         "languages": {"type": "array", "title": "Ngôn ngữ",
                                       "items": {"anyOf": [{"const": "vi", "title": "Việt"},
                                                           {"const": "en", "title": "Anh"}]}}}}


def _kinds(schema, instance):
    return sorted((e.path, e.keyword, e.message) for e in validate(schema, instance, "vi"))


def test_const_choices_are_checked_as_an_enum_and_the_form_keeps_its_own_schema():
    checking = for_checking(SCHEMA)
    ethnicity = checking["properties"]["ethnicity"]
    assert ethnicity["enum"] == ["kinh", "tay"] and "oneOf" not in ethnicity
    assert checking["properties"]["languages"]["items"] == {"enum": ["vi", "en"]}
    assert "oneOf" in SCHEMA["properties"]["ethnicity"]  # the original is not touched


@pytest.mark.parametrize("instance", [
    {"ethnicity": "kinh", "languages": ["vi"]}, {"ethnicity": "hoa"}, {"ethnicity": 3},
    {"ethnicity": "tay", "languages": ["fr", "vi"]}, {}, {"ethnicity": None},
])
def test_the_same_values_pass_and_fail_with_the_same_messages(in_vi, instance):
    assert _kinds(for_checking(SCHEMA), instance) == _kinds(SCHEMA, instance)
    form = compile_schema(SCHEMA)
    assert sorted((e.path, e.keyword, e.message) for e in form.validate(instance, "vi")) == \
        _kinds(SCHEMA, instance)


def test_the_shipped_birth_form_answers_as_its_own_schema(in_vi):
    form = compile_schema(BIRTH["schema"], BIRTH["ui_schema"])
    plain = Draft202012Validator(BIRTH["schema"])
    for instance in ({}, {"mother_known": True, "mother": {"ethnicity": "xx", "nationality": "ZZ"}},
                     {"child": {"ethnicity": "Kinh", "nationality": "VN", "gender": "nu"}}):
        pruned, errors = form.check(instance, "vi")
        assert plain.is_valid(pruned) == (errors == [])
        assert {e.path for e in errors} == {e.path for e in validate(BIRTH["schema"], pruned, "vi")}


def test_two_equal_choices_keep_oneof_which_refuses_them():
    twice = {"oneOf": [{"const": 1}, {"const": 1.0, "title": "một"}]}
    assert for_checking(twice) == twice
    assert not Draft202012Validator(for_checking(twice)).is_valid(1)


def test_a_choice_with_its_own_rules_or_a_reference_into_the_list_is_left_as_written():
    ruled = {"oneOf": [{"const": "a", "type": "string"}, {"const": "b"}]}
    assert for_checking(ruled) == ruled
    referenced = {"$defs": {"c": {"oneOf": [{"const": "a"}, {"const": "b"}]}},
                  "properties": {"x": {"$ref": "#/$defs/c/oneOf/0"}}}
    assert for_checking(referenced) == referenced
