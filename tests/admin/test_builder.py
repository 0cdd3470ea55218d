"""The visual builder writes JSON Schema the form engine accepts, and reads it back."""
from __future__ import annotations

import pytest

from app.admin_tools.builder import BuilderError, FieldSpec, Option, schema_to_specs, specs_to_schema
from app.forms.engine import compile_schema


def ten_fields() -> list[FieldSpec]:
    return [
        FieldSpec("full_name", "Họ và tên", "text", True, label_en="Full name"),
        FieldSpec("citizen_id", "Số định danh cá nhân", "citizen_id", True),
        FieldSpec("birth_date", "Ngày sinh", "date", True, help="Theo giấy khai sinh"),
        FieldSpec("phone", "Số điện thoại", "phone"),
        FieldSpec("email", "Thư điện tử", "email"),
        FieldSpec("gender", "Giới tính", "radio", True,
                  options=[Option("nam", "Nam", "Male"), Option("nu", "Nữ", "Female")]),
        FieldSpec("purpose", "Mục đích", "select",
                  options=[Option("hoc", "Đi học"), Option("lam", "Đi làm")]),
        FieldSpec("copies", "Số bản sao", "integer", extra={"minimum": 0, "maximum": 10}),
        FieldSpec("address", "Nơi cư trú", "group", children=[
            FieldSpec("unit", "Xã/phường", "unit", True),
            FieldSpec("street", "Số nhà, đường", "text"),
        ]),
        FieldSpec("children", "Con", "repeat", children=[
            FieldSpec("name", "Họ tên con", "text", True),
            FieldSpec("note", "Ghi chú", "textarea"),
        ]),
    ]


def test_built_form_compiles_and_renders_every_field_in_both_languages(app):
    schema, ui = specs_to_schema(ten_fields(), "Tờ khai", "Declaration")
    form = compile_schema(schema, ui)
    with app.app_context():  # the unit picker lists units from the database
        html_vi = form.render({}, None, "vi")
        html_en = form.render({}, None, "en")
    for label in ("Họ và tên", "Ngày sinh", "Nữ", "Đi làm", "Xã/phường", "Họ tên con"):
        assert label in html_vi
    assert "Full name" in html_en and "Female" in html_en


def test_built_form_validates_like_its_fields_say():
    schema, ui = specs_to_schema(ten_fields())
    form = compile_schema(schema, ui)
    paths = {e.path for e in form.validate({"gender": "khac", "copies": 11}, "vi")}
    assert {"/full_name", "/citizen_id", "/gender", "/copies"} <= paths


def test_round_trip_build_schema_edit_gives_the_same_form():
    specs = ten_fields()
    schema, ui = specs_to_schema(specs)
    back, unsupported = schema_to_specs(schema, ui)
    assert unsupported == []
    # A group with required fields is required when shown (docs/forms.md): written out, read back.
    assert "address" in schema["required"]
    specs[8].required = True
    assert back == specs
    # edit in the builder (reorder, relabel, add) and go round again
    back.insert(0, back.pop(5))
    back[1].label = "Họ, chữ đệm và tên"
    back.append(FieldSpec("agree", "Tôi cam đoan", "boolean", True))
    schema2, ui2 = specs_to_schema(back)
    assert schema_to_specs(schema2, ui2)[0] == back
    assert ui2["ui:order"][0] == "gender"
    assert schema2["properties"]["full_name"]["title"] == "Họ, chữ đệm và tên"


def test_hand_written_keywords_survive_the_builder():
    schema, ui = specs_to_schema([FieldSpec("code", "Mã", "text")])
    schema["properties"]["code"]["pattern"] = "^[0-9]+$"
    specs, unsupported = schema_to_specs(schema, ui)
    assert unsupported == []
    again, _ = specs_to_schema(specs)
    assert again["properties"]["code"]["pattern"] == "^[0-9]+$"


def test_conditions_are_reported_as_not_editable_in_the_builder():
    schema, ui = specs_to_schema([FieldSpec("a", "A", "boolean"), FieldSpec("b", "B", "text")])
    schema["if"] = {"properties": {"a": {"const": True}}}
    schema["then"] = {"required": ["b"]}
    _, unsupported = schema_to_specs(schema, ui)
    assert any("if" in u for u in unsupported)


@pytest.mark.parametrize("spec, message", [
    (FieldSpec("Bad Key", "X"), "key must start"),
    (FieldSpec("x", " "), "label is required"),
    (FieldSpec("x", "X", "select"), "at least one option"),
    (FieldSpec("x", "X", "group"), "at least one field"),
    (FieldSpec("x", "X", "colour"), "unknown type"),
])
def test_bad_specs_are_refused_with_a_named_problem(spec, message):
    with pytest.raises(BuilderError) as info:
        specs_to_schema([spec])
    assert any(message in p for p in info.value.problems)


def test_duplicate_keys_are_refused():
    with pytest.raises(BuilderError) as info:
        specs_to_schema([FieldSpec("x", "X"), FieldSpec("x", "Y")])
    assert "used twice" in info.value.problems[0]


def test_rows_round_trip_and_moving_a_group_carries_its_fields():
    from app.admin_tools.rows import move_row, rows_to_specs, specs_to_rows

    specs = ten_fields()
    rows = specs_to_rows(specs)
    assert [r.parent for r in rows][8:11] == ["", "address", "address"]
    assert rows_to_specs(rows) == (specs, [])
    moved = move_row(rows, 8, -1)  # the address group above copies
    back, problems = rows_to_specs(moved)
    assert problems == []
    assert [s.key for s in back][7:9] == ["address", "copies"]
    assert [c.key for c in back[7].children] == ["unit", "street"]
    assert move_row(rows, 0, -1) == rows


def test_option_lines_make_values_from_vietnamese_labels():
    from app.admin_tools.rows import options_text, parse_options

    options = parse_options("Đi học\nlam | Đi làm | Work\n\n")
    assert [(o.value, o.label, o.label_en) for o in options] == [
        ("di_hoc", "Đi học", ""), ("lam", "Đi làm", "Work")]
    assert parse_options(options_text(options)) == options


def test_every_shipped_form_without_conditions_round_trips_through_the_builder():
    import json
    from pathlib import Path

    for path in sorted(Path("forms_schema").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        specs, unsupported = schema_to_specs(data["schema"], data.get("ui_schema"))
        if unsupported:
            continue  # conditions or $ref: edited in the JSON editor, never by the builder
        schema, ui = specs_to_schema(specs)
        assert schema_to_specs(schema, ui)[0] == specs, path.name
        compile_schema(schema, ui)


def test_placeholders_and_help_in_the_ui_schema_survive_the_builder():
    schema, ui = specs_to_schema([FieldSpec("name", "Tên", "text")])
    ui["name"] = {"ui:placeholder": "Nguyễn Văn A", "ui:help": "Viết có dấu"}
    specs, unsupported = schema_to_specs(schema, ui)
    assert unsupported == []
    assert specs_to_schema(specs)[1]["name"] == {"ui:placeholder": "Nguyễn Văn A",
                                                  "ui:help": "Viết có dấu"}
