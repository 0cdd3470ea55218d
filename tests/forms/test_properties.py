"""Property tests (hypothesis): generated instances of every shipped form survive the rendered
form's round trip (render → what a browser posts → JSON equals the instance), and the server's
validation answers any JSON at all — valid, invalid or absurd — with a list of errors whose paths
are JSON pointers, never an exception."""
from __future__ import annotations

import json
import os
import string
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_roundtrip import post

from app.forms.engine import compile_schema
from app.forms.fields.group import ObjectField, RepeatField

DEFINITIONS = sorted((ROOT / "forms_schema").glob("*.json"))
VIETNAMESE = string.ascii_letters + string.digits + " .,-/()'" + "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐ"
PROFILE = settings(max_examples=int(os.environ.get("MOTCUA_HYPOTHESIS_EXAMPLES", "15")), deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _text(field, low: int = 1) -> st.SearchStrategy:
    high = field.node.get("maxLength") or 60
    low = max(low, field.node.get("minLength") or 1)
    # What a person types: no leading or trailing spaces (the form trims them), never blank.
    return st.text(alphabet=VIETNAMESE, min_size=low, max_size=max(low, min(high, 60))).map(str.strip) \
        .filter(lambda s: len(s) >= low)


def strategy(field) -> st.SearchStrategy:
    """Values a citizen could enter in one field of the compiled form."""
    if isinstance(field, ObjectField):
        children = {c.key: strategy(c) for c in field.children if not c.hidden and not c.read_only}
        return st.fixed_dictionaries(children)
    if isinstance(field, RepeatField):
        return st.lists(strategy(field.item), min_size=1, max_size=2)
    kind = field.type_name
    if kind == "checkboxes":
        values = [option[0] for option in field.options]
        return st.lists(st.sampled_from(values), min_size=1, unique=True).map(
            lambda chosen: [v for v in values if v in chosen])
    if kind in ("select", "radio"):
        return st.sampled_from([option[0] for option in field.options])
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(int(field.node.get("minimum", 0)), int(field.node.get("maximum", 99)))
    if kind == "number":
        return st.integers(0, 999).map(lambda n: n + 0.5)
    if kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    if kind == "email":
        return st.from_regex(r"[a-z]{1,8}@[a-z]{2,8}\.vn", fullmatch=True)
    if kind == "phone":
        return st.from_regex(r"09[0-9]{8}", fullmatch=True)
    if kind == "citizen_id":
        return st.from_regex(r"0[0-9]{11}", fullmatch=True)
    if kind == "unit":
        return st.sampled_from(["25279", "25123"])
    if kind == "datetime":
        return st.just("2024-05-01T08:30:00+07:00")
    return _text(field)


def _form(path: Path):
    definition = json.loads(path.read_text(encoding="utf-8"))
    return compile_schema(definition["schema"], definition.get("ui_schema"))


@pytest.mark.parametrize("path", DEFINITIONS, ids=[p.name.split("-")[0] for p in DEFINITIONS])
def test_generated_declarations_survive_the_rendered_forms_round_trip(path, in_vi):
    form = _form(path)

    @PROFILE
    @given(strategy(form.root))
    def round_trip(data):
        assert form.from_formdata(post(form.render(data))) == data

    round_trip()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25)


@pytest.mark.parametrize("path", DEFINITIONS, ids=[p.name.split("-")[0] for p in DEFINITIONS])
def test_validation_answers_any_json_with_errors_that_point_into_it(path, in_vi):
    form = _form(path)
    keys = [c.key for c in form.root.children]

    @PROFILE
    @given(st.one_of(JSON, st.dictionaries(st.sampled_from(keys), JSON, max_size=len(keys)),
                     strategy(form.root)))
    def validation(instance):
        errors = form.validate(instance, locale="vi")
        assert isinstance(errors, list)
        for error in errors:
            assert error.path == "" or error.path.startswith("/"), error.path
            assert error.message

    validation()
