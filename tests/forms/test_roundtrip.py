"""Round trips: render → browser-like post → JSON → validate → read-only, for fixtures and forms_schema/."""

import json
from pathlib import Path

import pytest
from conftest import ROOT, soup
from werkzeug.datastructures import MultiDict

from app.forms.engine import compile_schema
from app.forms.fields import MISSING
from app.forms.fields.group import ObjectField, RepeatField

DEFINITIONS = sorted((ROOT / "forms_schema").glob("*.json"))
SAMPLES = {"text": "Nguyễn Văn A", "textarea": "Dòng 1\nDòng 2", "date": "2020-01-02",
           "datetime": "2024-05-01T08:30:00+07:00", "email": "a@example.vn", "phone": "0912345678",
           "citizen_id": "001090123456", "unit": "25123"}


def post(html) -> MultiDict:
    """What a browser would submit for the rendered fragment (template content excluded)."""
    pairs = []
    for el in soup(html).select("input, select, textarea"):
        if el.find_parent("template") or el.has_attr("disabled") or not el.get("name"):
            continue
        if el.name == "select":
            chosen = el.select_one("option[selected]") or el.select_one("option")
            pairs.append((el["name"], chosen.get("value", "")))
        elif el.name == "textarea":
            pairs.append((el["name"], el.get_text()))
        elif el.get("type") in ("checkbox", "radio"):
            if el.has_attr("checked"):
                pairs.append((el["name"], el["value"]))
        else:
            pairs.append((el["name"], el.get("value", "")))
    return MultiDict(pairs)


def sample(field):
    """A plausible value for any field (first choice, minimum, one item…)."""
    if isinstance(field, ObjectField):
        return {c.key: sample(c) for c in field.children if not c.hidden and not c.read_only}
    if isinstance(field, RepeatField):
        return [sample(field.item)]
    if field.type_name == "checkboxes":
        return [field.options[0][0]]
    if field.type_name in ("select", "radio"):
        return field.options[0][0]
    if field.type_name == "boolean":
        return True
    if field.type_name in ("integer", "number"):
        low = field.node.get("minimum", 1)
        return int(low) if field.type_name == "integer" else float(low) + 0.5
    value = SAMPLES[field.type_name]
    limit = field.node.get("maxLength")
    return value[:limit] if limit else value


def test_birth_registration_round_trip(birth_form):
    profile = {"full_name": "Lê Văn B", "phone": "0912345678", "email": "b@example.vn"}
    data = birth_form.prefill(profile)
    assert data["requester"] == {"full_name": "Lê Văn B", "phone": "0912345678", "email": "b@example.vn"}
    data["requester"]["relationship"] = "cha"
    data["child"].update(full_name="Lê Minh C", gender="nu", date_of_birth="2025-03-01", place_of_birth_unit="25123")
    data.update(mother={"full_name": "Trần Thị D", "citizen_id": "001190123456"}, father_known=True,
                father={"full_name": "Lê Văn B", "citizen_id": "001090123456"},
                siblings=[{"name": "An", "year": 2020}], delivery="post", postal_address="12 Lê Lợi")
    formdata = post(birth_form.render(data))
    assert birth_form.from_formdata(formdata) == data
    cleaned, errors = birth_form.check(data)
    assert errors == [] and cleaned == data
    data.update(father_known=False, delivery="office")
    cleaned, errors = birth_form.check(birth_form.from_formdata(post(birth_form.render(data))))
    assert errors == [] and "father" not in cleaned and "postal_address" not in cleaned
    html = soup(birth_form.render_readonly(cleaned, locale="en"))
    assert "Female" in html.get_text() and "Lê Minh C" in html.get_text()


def test_birth_registration_errors_in_both_languages(birth_form, in_vi):
    errors = birth_form.validate({"father_known": True, "child": {"full_name": "X"}}, locale="vi")
    messages = {e.path: e.message for e in errors}
    assert messages["/father"] == "Cha: vui lòng khai phần này"
    assert messages["/child/full_name"] == "Họ và tên trẻ: vui lòng nhập ít nhất 2 ký tự"
    en = {e.path: e.message for e in birth_form.validate({"father_known": True}, locale="en")}
    assert en["/mother"] == "Mother: fill in this section"


def _big_schema():
    props = {f"f{i:02}": {"type": "string", "title": f"Trường {i}", "x-i18n": {"en": {"title": f"Field {i}"}}}
             for i in range(22)}
    person = {"type": "object", "title": "Người", "x-i18n": {"en": {"title": "Person"}}, "required": ["name"],
              "properties": {"name": {"type": "string", "title": "Tên"}, "id": {"type": "string", "format": "vn-citizen-id", "title": "Số định danh"},
                             "born": {"type": "string", "format": "date", "title": "Ngày sinh"}}}
    props.update(mother=person, father=person, father_known={"type": "boolean", "title": "Biết cha"},
                 delivery={"enum": ["Tại cơ quan", "Qua bưu điện"], "title": "Nhận kết quả"},
                 address={"type": "string", "title": "Địa chỉ"},
                 kids={"type": "array", "title": "Con", "items": {"type": "object", "title": "Con", "properties": {
                     "name": {"type": "string", "title": "Tên"}, "born": {"type": "string", "format": "date", "title": "Ngày sinh"}}}})
    return {"type": "object", "properties": props, "required": ["f00", "mother"],
            "allOf": [{"if": {"properties": {"father_known": {"const": True}}, "required": ["father_known"]}, "then": {"required": ["father"]}},
                      {"if": {"properties": {"delivery": {"const": "Qua bưu điện"}}, "required": ["delivery"]}, "then": {"required": ["address"]}}]}


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_thirty_field_form_renders_in_both_languages(locale, in_vi):
    form = compile_schema(_big_schema())
    assert sum(1 for _, f in form.walk() if not isinstance(f, ObjectField | RepeatField)) >= 30
    html = soup(form.render({"kids": [{}]}, form.validate({"father_known": True}), locale=locale))
    assert html.select_one("#mcf-f21") is not None and html.select_one("input[name='kids.0.born']") is not None
    assert len(html.select("[data-mcf-when]")) == 2
    expected = {"vi": ("Trường 0", "Vui lòng sửa các lỗi sau"), "en": ("Field 0", "Please correct the following errors")}
    assert html.select_one("label[for=mcf-f00]").get_text().startswith(expected[locale][0])
    assert html.select_one(".mcf-error-summary h2").get_text() == expected[locale][1]


@pytest.mark.skipif(not DEFINITIONS, reason="no forms_schema/*.json yet")
@pytest.mark.parametrize("path", DEFINITIONS, ids=[p.name for p in DEFINITIONS])
def test_every_procedure_definition_compiles_renders_and_round_trips(path: Path, in_vi):
    definition = json.loads(path.read_text(encoding="utf-8"))
    form = compile_schema(definition["schema"], definition.get("ui_schema"))
    data = sample(form.root)
    for locale in ("vi", "en"):
        assert "mcf-form" in form.render(data, locale=locale)
    assert form.from_formdata(post(form.render(data))) == data
    assert isinstance(form.validate(data), list)
    assert form.render_readonly(form.prune(data)) and form.readonly_rows(form.prune(data))
    assert form.defaults() is not MISSING
