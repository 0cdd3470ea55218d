"""Conditional fields: server pruning both ways and the hints for forms.js."""

import json

from conftest import form_of, soup
from werkzeug.datastructures import MultiDict

PERSON = {"type": "object", "title": "Cha", "required": ["full_name"],
          "properties": {"full_name": {"type": "string", "title": "Họ và tên của cha"}}}


def _father_form(**extra):
    return form_of({"father_known": {"type": "boolean", "title": "Biết cha"}, "father": PERSON}, **extra)


IF_THEN = {"if": {"properties": {"father_known": {"const": True}}, "required": ["father_known"]},
           "then": {"required": ["father"]}}


def test_if_then_requires_the_field_when_the_condition_holds():
    form = _father_form(**IF_THEN)
    errors = form.validate({"father_known": True}, locale="en")
    assert [(e.path, e.keyword) for e in errors] == [("/father", "required")]
    assert form.validate({"father_known": True, "father": {"full_name": "Hùng"}}) == []


def test_if_then_drops_the_field_when_the_condition_fails():
    form = _father_form(**IF_THEN)
    data = {"father_known": False, "father": {"full_name": ""}}
    assert form.prune(data) == {"father_known": False}
    assert form.validate(data) == []
    assert data["father"] == {"full_name": ""}  # prune copies


def test_then_and_else_branches():
    form = form_of({"delivery": {"enum": ["Tại cơ quan", "Qua bưu điện"]}, "address": {"type": "string"},
                    "office": {"type": "string"}},
                   **{"if": {"properties": {"delivery": {"const": "Qua bưu điện"}}, "required": ["delivery"]},
                      "then": {"required": ["address"]}, "else": {"required": ["office"]}})
    both = {"address": "12 Lê Lợi", "office": "UBND"}
    assert form.prune({"delivery": "Qua bưu điện", **both}) == {"delivery": "Qua bưu điện", "address": "12 Lê Lợi"}
    assert form.prune({"delivery": "Tại cơ quan", **both}) == {"delivery": "Tại cơ quan", "office": "UBND"}
    assert [e.path for e in form.validate({"delivery": "Tại cơ quan"})] == ["/office"]


def test_dependent_required_and_dependent_schemas():
    form = form_of({"has_card": {"type": "boolean"}, "card_no": {"type": "string"},
                    "email": {"type": "string", "format": "email"}, "notify": {"type": "boolean"}},
                   dependentRequired={"has_card": ["card_no"]},
                   dependentSchemas={"email": {"properties": {"notify": {"type": "boolean"}}}})
    assert form.prune({"card_no": "1", "notify": True}) == {}
    assert form.prune({"has_card": True, "card_no": "1", "email": "a@b.vn", "notify": True}) == {
        "has_card": True, "card_no": "1", "email": "a@b.vn", "notify": True}
    assert [e.path for e in form.validate({"has_card": True})] == ["/card_no"]


def test_conditional_field_carries_a_client_hint_and_no_html_required():
    form = _father_form(**IF_THEN)
    html = soup(form.render())
    father = html.select_one("fieldset#mcf-father")
    clauses = json.loads(father["data-mcf-when"])
    assert clauses == [{"all": [{"name": "father_known", "in": [True], "absent": False}], "negate": False}]
    assert html.select_one("#mcf-father-full_name").get("required") is None  # no-JS posts must go through
    assert html.select_one("#mcf-father_known")  # all fields present without JS


def test_complex_condition_has_no_hint_but_is_still_pruned():
    form = form_of({"age": {"type": "integer"}, "guardian": {"type": "string"}},
                   **{"if": {"properties": {"age": {"maximum": 17}}, "required": ["age"]},
                      "then": {"required": ["guardian"]}})
    assert soup(form.render()).select_one("[data-mcf-name=guardian]").get("data-mcf-when") is None
    assert form.prune({"age": 30, "guardian": "x"}) == {"age": 30}
    assert form.prune({"age": 10, "guardian": "x"}) == {"age": 10, "guardian": "x"}


def test_conditions_inside_repeatable_items_use_the_item_names():
    item = {"type": "object", "properties": {"kind": {"enum": ["Con đẻ", "Con nuôi"]}, "decision_no": {"type": "string"}},
            "if": {"properties": {"kind": {"const": "Con nuôi"}}, "required": ["kind"]},
            "then": {"required": ["decision_no"]}}
    form = form_of({"children": {"type": "array", "items": item}})
    html = soup(form.render({"children": [{}]}))
    hint = json.loads(html.select_one("[data-mcf-name='children.0.decision_no']")["data-mcf-when"])
    assert hint[0]["all"][0]["name"] == "children.0.kind"
    data = form.from_formdata(MultiDict([("children.0.kind", "Con đẻ"), ("children.0.decision_no", "12")]))
    assert form.prune(data) == {"children": [{"kind": "Con đẻ"}]}
