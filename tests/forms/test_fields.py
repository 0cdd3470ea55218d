"""Every field type: how it renders, converts form data and validates."""

import pytest
from conftest import form_of, soup
from werkzeug.datastructures import MultiDict

CASES = [
    # (type name, property schema, ui, submitted pairs, expected JSON value, selector of the control)
    ("text", {"type": "string", "title": "Họ tên", "maxLength": 50}, None, [("f", "  An  ")], "An", "input[type=text][maxlength='50']"),
    ("textarea", {"type": "string"}, {"ui:widget": "textarea", "ui:options": {"rows": 2}}, [("f", "a\r\nb")], "a\nb", "textarea[rows='2']"),
    ("integer", {"type": "integer"}, None, [("f", "42")], 42, "input[inputmode=numeric]"),
    ("number", {"type": "number"}, None, [("f", "1,5")], 1.5, "input[inputmode=decimal]"),
    ("boolean", {"type": "boolean"}, None, [("f", "false"), ("f", "true")], True, "input[type=checkbox][value=true]"),
    ("date", {"type": "string", "format": "date"}, None, [("f", "2024-05-01")], "2024-05-01", "input[type=date]"),
    ("datetime", {"type": "string", "format": "date-time"}, None, [("f", "2024-05-01T08:30")], "2024-05-01T08:30:00+07:00", "input[type=datetime-local]"),
    ("email", {"type": "string", "format": "email"}, None, [("f", "a@b.vn")], "a@b.vn", "input[type=email][autocomplete=email]"),
    ("phone", {"type": "string", "format": "vn-phone"}, None, [("f", "0912 345.678")], "0912345678", "input[type=tel][inputmode=tel]"),
    ("citizen_id", {"type": "string", "format": "vn-citizen-id"}, None, [("f", "0010 9012 3456")], "001090123456", "input[inputmode=numeric][maxlength='12']"),
    ("unit", {"type": "string", "format": "vn-unit"}, None, [("f", "25123")], "25123", "input[data-mcf-unit]"),
    ("select", {"enum": ["Kinh", "Tày"]}, None, [("f", "Tày")], "Tày", "select option[value='Tày']"),
    ("radio", {"type": "integer", "oneOf": [{"const": 1, "title": "Một"}, {"const": 2, "title": "Hai"}]}, {"ui:widget": "radio"}, [("f", "2")], 2, "fieldset[role=radiogroup] input[type=radio][value='2']"),
    ("checkboxes", {"type": "array", "items": {"enum": ["a", "b"]}}, {"ui:enumNames": ["A", "B"]}, [("f", "a"), ("f", "b")], ["a", "b"], "fieldset input[type=checkbox][value=b]"),
]


def _form(prop, ui):
    return form_of({"f": prop}, ui={"f": ui} if ui else None)


@pytest.mark.parametrize(("kind", "prop", "ui", "pairs", "expected", "selector"), CASES, ids=[c[0] for c in CASES])
def test_field_renders_converts_and_validates(kind, prop, ui, pairs, expected, selector):
    form = _form(prop, ui)
    assert form.fields[0].type_name == kind
    html = soup(form.render())
    assert html.select_one(selector) is not None
    control = html.select_one("#mcf-f")
    assert control is not None and html.select_one("label[for='mcf-f']") is not None
    data = form.from_formdata(MultiDict(pairs))
    assert data == {"f": expected}
    assert form.validate(data) == []
    again = soup(form.render(data))  # the value is shown again after a round trip
    assert str(expected).split("+")[0][:4] in again.decode() or kind in ("boolean", "checkboxes", "radio", "select")


@pytest.mark.parametrize(
    ("prop", "typed", "keyword"),
    [
        ({"type": "integer"}, "abc", "type"),
        ({"type": "number"}, "1.2.3", "type"),
        ({"type": "string", "format": "date"}, "31/12/2024", "format"),
        ({"type": "string", "format": "vn-phone"}, "12345", "format"),
        ({"enum": ["Kinh", "Tày"]}, "Mường", "enum"),
    ],
)
def test_what_does_not_convert_is_kept_and_reported_by_jsonschema(prop, typed, keyword):
    form = form_of({"f": prop})
    data = form.from_formdata(MultiDict([("f", typed)]))
    assert data == {"f": typed}
    assert [(e.path, e.keyword) for e in form.validate(data)] == [("/f", keyword)]
    assert soup(form.render(data)).find(attrs={"value": typed}) is not None or typed in form.render(data)


def test_empty_inputs_are_missing_so_required_is_reported():
    form = form_of({"a": {"type": "string", "title": "A"}, "b": {"type": "integer"}}, required=["a"])
    data = form.from_formdata(MultiDict([("a", "  "), ("b", "")]))
    assert data == {}
    assert [(e.path, e.keyword) for e in form.validate(data, locale="en")] == [("/a", "required")]


@pytest.mark.parametrize(
    ("prop", "bad", "keyword"),
    [
        ({"type": "string", "minLength": 3}, "ab", "minLength"),
        ({"type": "string", "maxLength": 3}, "abcd", "maxLength"),
        ({"type": "string", "pattern": "^[0-9]+$"}, "12a", "pattern"),
        ({"type": "integer", "minimum": 1}, 0, "minimum"),
        ({"type": "integer", "maximum": 1}, 2, "maximum"),
        ({"type": "number", "exclusiveMinimum": 0}, 0, "exclusiveMinimum"),
        ({"type": "number", "exclusiveMaximum": 1}, 1, "exclusiveMaximum"),
        ({"const": "Đồng ý", "type": "string"}, "Không", "const"),
        ({"type": "array", "items": {"enum": ["Một", "Hai"]}, "minItems": 2}, ["Một"], "minItems"),
        ({"type": "array", "items": {"enum": ["Một", "Hai"]}, "maxItems": 1}, ["Một", "Hai"], "maxItems"),
        ({"type": "array", "items": {"enum": ["Một", "Hai"]}, "uniqueItems": True}, ["Một", "Một"], "uniqueItems"),
    ],
)
def test_each_keyword_is_enforced_with_its_own_message(prop, bad, keyword):
    form = form_of({"f": {**prop, "title": "Trường"}})
    errors = form.validate({"f": bad}, locale="en")
    assert [(e.path, e.keyword) for e in errors] == [("/f", keyword)]
    assert errors[0].message.startswith("Trường: ")


def test_additional_properties_false_points_at_each_extra_field():
    form = form_of({"a": {"type": "string"}}, additionalProperties=False)
    errors = form.validate({"a": "x", "zz": 1, "yy": 2}, locale="en")
    assert sorted(e.path for e in errors) == ["/yy", "/zz"]
    assert all(e.keyword == "additionalProperties" for e in errors)


def test_object_becomes_a_fieldset_with_flattened_names():
    form = form_of({"mother": {"type": "object", "title": "Mẹ", "required": ["full_name"],
                               "properties": {"full_name": {"type": "string", "title": "Họ và tên của mẹ"}}}},
                   required=["mother"])
    html = soup(form.render())
    fieldset = html.select_one("fieldset#mcf-mother")
    assert fieldset.legend.get_text().startswith("Mẹ")
    assert fieldset.select_one("input[name='mother.full_name'][required]") is not None
    assert form.from_formdata(MultiDict([("mother.full_name", "Lan")])) == {"mother": {"full_name": "Lan"}}
    assert form.from_formdata(MultiDict([("mother.full_name", "")])) == {"mother": {}}


def test_repeatable_group_converts_items_in_index_order_and_drops_empty_ones():
    form = form_of({"children": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "age": {"type": "integer"}}}}})
    formdata = MultiDict([("children.10.name", "C"), ("children.2.name", "B"), ("children.2.age", "3"),
                          ("children.5.name", ""), ("children.5.age", "")])
    assert form.from_formdata(formdata) == {"children": [{"name": "B", "age": 3}, {"name": "C"}]}


def test_repeatable_group_of_single_values():
    form = form_of({"tags": {"type": "array", "title": "Nhãn", "items": {"type": "string", "title": "Nhãn"}}})
    assert form.from_formdata(MultiDict([("tags.0", "a"), ("tags.1", "b")])) == {"tags": ["a", "b"]}
    html = soup(form.render({"tags": ["a"]}))
    assert html.select_one("input[name='tags.0'][value=a]") is not None


def test_hidden_widget_renders_a_hidden_input_and_converts_by_type():
    form = form_of({"n": {"type": "integer"}}, ui={"n": {"ui:widget": "hidden"}})
    assert soup(form.render({"n": 3})).select_one("input[type=hidden][name=n][value='3']") is not None
    assert form.from_formdata(MultiDict([("n", "3")])) == {"n": 3}


def test_read_only_field_keeps_the_previous_value():
    form = form_of({"citizen_id": {"type": "string", "readOnly": True, "x-prefill": "citizen_id"}})
    assert soup(form.render({"citizen_id": "001090123456"})).select_one("input[readonly]") is not None
    data = form.from_formdata(MultiDict([("citizen_id", "999")]), previous={"citizen_id": "001090123456"})
    assert data == {"citizen_id": "001090123456"}


def test_defaults_and_prefill():
    form = form_of({"name": {"type": "string", "x-prefill": "full_name"}, "copies": {"type": "integer", "default": 1},
                    "contact": {"type": "object", "properties": {"phone": {"type": "string", "x-prefill": "phone"}}}})
    assert form.defaults() == {"copies": 1}
    assert form.prefill({"full_name": "Lan", "phone": "0912345678"}) == {
        "copies": 1, "name": "Lan", "contact": {"phone": "0912345678"}}
    assert form.prefill({}) == {"copies": 1}
    assert soup(form.render()).select_one("input[name=copies][value='1']") is not None


def test_autocomplete_from_prefill_keys():
    form = form_of({"n": {"type": "string", "x-prefill": "full_name"}, "d": {"type": "string", "format": "date", "x-prefill": "date_of_birth"}})
    html = soup(form.render())
    assert html.select_one("#mcf-n")["autocomplete"] == "name"
    assert html.select_one("#mcf-d")["autocomplete"] == "bday"


def test_select_titles_follow_the_locale():
    form = form_of({"g": {"type": "string", "enum": ["nam", "nu"], "x-i18n": {"en": {"enumNames": ["Male", "Female"]}}}},
                   ui={"g": {"ui:enumNames": ["Nam", "Nữ"]}})
    assert [o.get_text() for o in soup(form.render(locale="vi")).select("option")][1:] == ["Nam", "Nữ"]
    assert [o.get_text() for o in soup(form.render(locale="en")).select("option")][1:] == ["Male", "Female"]
    assert form.readonly_rows({"g": "nu"}, locale="en") == [("g", "Female", 0)]
