"""A pledge ("const": true) is one tick box that must be ticked; a required tick box without it is refused."""

import pytest
from conftest import form_of, soup
from werkzeug.datastructures import MultiDict

from app.forms.engine import SchemaError, compile_schema

PLEDGE = {"type": "boolean", "const": True, "title": "Tôi xin cam đoan những nội dung khai trên là đúng sự thật",
          "x-i18n": {"en": {"title": "I declare that the above is true"}}}


def _problems(schema, ui=None):
    with pytest.raises(SchemaError) as info:
        compile_schema(schema, ui)
    return info.value.problems_in("en")


def test_a_required_tick_box_without_const_true_is_refused():
    problems = _problems({"type": "object", "required": ["agree"],
                          "properties": {"agree": {"type": "boolean", "title": "Tôi cam đoan"}}})
    assert problems == ['#/properties/agree: a required tick box is satisfied by an unticked box: add "const": true '
                        'to make it a pledge that must be ticked, or ask yes or no with "ui:widget": "radio"']


def test_a_conditionally_required_tick_box_is_refused_too():
    schema = {"type": "object", "properties": {"foreign": {"type": "boolean"}, "agree": {"type": "boolean"}},
              "if": {"properties": {"foreign": {"const": True}}, "required": ["foreign"]},
              "then": {"required": ["agree"]}}
    assert any(p.startswith("#/properties/agree: a required tick box") for p in _problems(schema))


def test_yes_no_questions_and_optional_tick_boxes_still_compile():
    compile_schema({"type": "object", "required": ["known"], "properties": {"known": {"type": "boolean"}}},
                   {"known": {"ui:widget": "radio"}})
    compile_schema({"type": "object", "properties": {"sms": {"type": "boolean", "title": "Nhận tin nhắn"}}})


def test_a_pledge_must_be_required():
    assert _problems({"type": "object", "properties": {"agree": PLEDGE}}) == [
        '#/properties/agree: a pledge ("const": true) must be listed in "required"']


def test_a_pledge_is_one_required_tick_box():
    form = form_of({"agree": PLEDGE}, required=["agree"])
    assert form.fields[0].type_name == "pledge"
    html = soup(form.render())
    boxes = html.select("input[name=agree]")
    assert len(boxes) == 1 and boxes[0]["type"] == "checkbox" and boxes[0]["value"] == "true"
    assert boxes[0].has_attr("required") and boxes[0]["aria-required"] == "true"
    assert html.select_one("label[for=mcf-agree] .mcf-required") is not None
    assert not boxes[0].has_attr("checked")
    assert soup(form.render({"agree": True})).select_one("#mcf-agree").has_attr("checked")


def test_an_unticked_pledge_is_refused_with_a_clear_message(in_vi):
    form = form_of({"name": {"type": "string"}, "agree": PLEDGE}, required=["agree"])
    data = form.from_formdata(MultiDict([("name", "An")]))  # the box was not ticked: nothing is sent
    assert data == {"name": "An"}
    errors = form.validate(data, locale="vi")
    assert [(e.path, e.message) for e in errors] == [
        ("/agree", "Tôi xin cam đoan những nội dung khai trên là đúng sự thật: bạn cần đánh dấu vào ô này để xác nhận")]
    api = form.validate({"agree": False}, locale="en")  # what another client may send
    assert [(e.path, e.keyword, e.message) for e in api] == [
        ("/agree", "pledge", "I declare that the above is true: tick this box to confirm")]
    ticked = form.from_formdata(MultiDict([("agree", "true")]))
    assert ticked == {"agree": True} and form.validate(ticked) == []


def test_a_pledge_cannot_be_a_radio_question():
    problems = _problems({"type": "object", "required": ["agree"], "properties": {"agree": PLEDGE}},
                         {"agree": {"ui:widget": "radio"}})
    assert problems == ["ui_schema#/agree/ui:widget: unsupported widget 'radio' for a pledge field"]
