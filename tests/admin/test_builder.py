"""The visual builder writes JSON Schema the form engine accepts, and reads it back."""
from __future__ import annotations

import pytest

from app.admin_tools.builder import BuilderError, FieldSpec, Option, schema_to_specs, specs_to_schema
from app.admin_tools.builder_conditions import Condition
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


def test_conditions_written_by_hand_are_edited_in_the_builder():
    schema, ui = specs_to_schema([FieldSpec("a", "A", "boolean"), FieldSpec("b", "B", "text")])
    schema["if"] = {"properties": {"a": {"const": True}}, "required": ["a"]}
    schema["then"] = {"required": ["b"]}
    specs, unsupported = schema_to_specs(schema, ui)
    assert unsupported == []
    assert specs[1].condition == Condition("a", "ticked") and specs[1].required
    assert specs[0].condition is None
    again, ui2 = specs_to_schema(specs)  # written back the engine's way: one allOf member
    assert "if" not in again and "required" not in again
    assert again["allOf"] == [{"if": {"properties": {"a": {"const": True}}, "required": ["a"]},
                               "then": {"required": ["b"]}}]
    form = compile_schema(again, ui2)
    assert [e.path for e in form.validate({"a": True})] == ["/b"]
    assert form.validate({"a": False}) == [] and form.prune({"a": False, "b": "x"}) == {"a": False}


def test_every_operator_is_written_as_the_engine_reads_it_and_read_back():
    specs = [
        FieldSpec("kind", "Loại giấy tờ", "select", True,
                  options=[Option("cccd", "Căn cước"), Option("ho_chieu", "Hộ chiếu"), Option("khac", "Khác")]),
        FieldSpec("citizen_id", "Số định danh", "citizen_id", True, condition=Condition("kind", "equals", ["cccd"])),
        FieldSpec("number", "Số giấy tờ", "text", True, condition=Condition("kind", "in", ["ho_chieu", "khac"])),
        FieldSpec("note", "Ghi chú", "text", condition=Condition("kind", "in", ["ho_chieu", "khac"])),
        FieldSpec("married", "Đã kết hôn", "boolean"),
        FieldSpec("spouse", "Vợ/chồng", "group", condition=Condition("married", "ticked"),
                  children=[FieldSpec("name", "Họ tên", "text", True)]),
        FieldSpec("reason", "Lý do", "textarea", condition=Condition("married", "not_ticked")),
        FieldSpec("copies", "Số bản", "integer"),
        FieldSpec("purpose", "Mục đích", "text", condition=Condition("copies", "equals", [2])),
    ]
    schema, ui = specs_to_schema(specs)
    assert schema["required"] == ["kind"]  # conditional fields are required only when shown
    assert schema["allOf"] == [
        {"if": {"properties": {"kind": {"const": "cccd"}}, "required": ["kind"]},
         "then": {"required": ["citizen_id"]}},
        {"if": {"properties": {"kind": {"enum": ["ho_chieu", "khac"]}}, "required": ["kind"]},
         "then": {"required": ["number"], "properties": {"note": True}}},
        {"if": {"properties": {"married": {"const": True}}, "required": ["married"]},
         "then": {"required": ["spouse"]}},  # a group with required fields is required when shown
        {"if": {"properties": {"married": {"const": False}}, "required": ["married"]},
         "then": {"properties": {"reason": True}}},
        {"if": {"properties": {"copies": {"const": 2}}, "required": ["copies"]},
         "then": {"properties": {"purpose": True}}},
    ]
    back, unsupported = schema_to_specs(schema, ui)
    assert unsupported == []
    specs[5].required = True  # written out by the group rule, read back
    assert back == specs
    form = compile_schema(schema, ui)
    paths = {e.path for e in form.validate({"kind": "ho_chieu", "married": True})}
    assert paths == {"/number", "/spouse"}
    assert form.prune({"kind": "cccd", "number": "B1", "note": "x", "citizen_id": "075090001234"}) == \
        {"kind": "cccd", "citizen_id": "075090001234"}
    import json

    from bs4 import BeautifulSoup

    page = BeautifulSoup(str(form.render({}, None, "vi")), "html.parser")
    when = json.loads(page.select_one("[data-mcf-name=number]")["data-mcf-when"])
    assert when == [{"all": [{"name": "kind", "in": ["ho_chieu", "khac"], "absent": False}],
                     "negate": False}]  # forms.js shows and hides it from the same schema
    assert page.select_one("[data-mcf-name=kind]").get("data-mcf-when") is None


def test_conditions_inside_a_group_stay_in_the_group():
    specs = [FieldSpec("father", "Cha", "group", children=[
        FieldSpec("known", "Có thông tin người cha", "radio", True, options=[Option("co", "Có"), Option("khong", "Không")]),
        FieldSpec("name", "Họ tên cha", "text", True, condition=Condition("known", "equals", ["co"]))])]
    schema, ui = specs_to_schema(specs)
    father = schema["properties"]["father"]
    assert father["required"] == ["known"] and len(father["allOf"]) == 1
    assert "allOf" not in schema
    back, unsupported = schema_to_specs(schema, ui)
    assert unsupported == [] and back[0].children[1].condition == Condition("known", "equals", ["co"])
    assert "allOf" not in back[0].extra  # written again from its fields, never twice


@pytest.mark.parametrize("condition, words", [
    (Condition("nothing", "equals", ["x"]), "choose the field of the same group"),
    (Condition("b", "equals", ["x"]), "choose the field of the same group"),  # itself
    (Condition("kind", "ticked"), "for “Loại” choose: equals, is one of"),
    (Condition("kind", "equals", []), "choose the value of “Loại”"),
    (Condition("kind", "equals", ["x", "y"]), "“equals” takes one value"),
    (Condition("kind", "in", ["z"]), "“Loại” has no option z"),
    (Condition("count", "equals", ["hai"]), "“Số” holds numbers"),
    (Condition("tick", "equals", ["x"]), "for “Ô” choose: is ticked, is not ticked"),
    (Condition("many", "in", ["x"]), "“Nhiều” cannot decide"),
])
def test_a_condition_that_cannot_be_written_is_refused_with_the_reason(condition, words):
    specs = [FieldSpec("kind", "Loại", "select", options=[Option("x", "X"), Option("y", "Y")]),
             FieldSpec("count", "Số", "integer"), FieldSpec("tick", "Ô", "boolean"),
             FieldSpec("many", "Nhiều", "checkboxes", options=[Option("x", "X")]),
             FieldSpec("b", "B", "text", condition=condition)]
    with pytest.raises(BuilderError) as info:
        specs_to_schema(specs)
    assert any(words in p and p.startswith("B: ") for p in info.value.problems), info.value.problems


def test_two_fields_shown_depending_on_each_other_are_refused():
    specs = [FieldSpec("a", "A", "text", condition=Condition("b", "equals", ["1"])),
             FieldSpec("b", "B", "text", condition=Condition("a", "equals", ["1"]))]
    with pytest.raises(BuilderError) as info:
        specs_to_schema(specs)
    assert any("itself shown only depending" in p for p in info.value.problems)


@pytest.mark.parametrize("extra", [
    {"else": {"required": ["b"]}},  # if/then/else: the builder shows, it does not negate
    {"allOf": [{"if": {"properties": {"a": {"const": True}}}, "then": {"required": ["b"]}}]},  # a may be absent
    {"allOf": [{"if": {"properties": {"a": {"const": True}, "b": {"const": "x"}},
                       "required": ["a", "b"]}, "then": {"required": ["b"]}}]},  # two tests
    {"allOf": [{"not": {"required": ["a"]}}]},
])
def test_conditions_the_builder_cannot_show_keep_the_form_in_the_json_editor(extra):
    schema, ui = specs_to_schema([FieldSpec("a", "A", "boolean"), FieldSpec("b", "B", "text")])
    if "else" in extra:
        schema.update({"if": {"properties": {"a": {"const": True}}, "required": ["a"]},
                       "then": {"required": ["b"]}})
    schema.update(extra)
    _specs, unsupported = schema_to_specs(schema, ui)
    assert unsupported


@pytest.mark.parametrize("spec, message", [
    (FieldSpec("Bad Key", "X"), "key must start"),
    (FieldSpec("x", " "), "write the label"),
    (FieldSpec("x", "X", "select"), "write the options"),
    (FieldSpec("x", "X", "group"), "the group has no field yet"),
    (FieldSpec("x", "X", "colour"), "unknown type"),
])
def test_bad_specs_are_refused_with_a_named_problem(spec, message):
    with pytest.raises(BuilderError) as info:
        specs_to_schema([spec])
    assert any(message in p for p in info.value.problems)


def test_duplicate_keys_are_refused():
    with pytest.raises(BuilderError) as info:
        specs_to_schema([FieldSpec("x", "X"), FieldSpec("x", "Y")])
    assert "another field of the same group has the key x" in info.value.problems[0]


def test_builder_problems_are_in_vietnamese_and_name_the_field(app):
    with app.test_request_context(), pytest.raises(BuilderError) as info:
        specs_to_schema([FieldSpec("noi_o", "Nơi ở", "group"),
                         FieldSpec("gioi_tinh", "Giới tính", "radio"),
                         FieldSpec("b", "B", "text", condition=Condition("gioi_tinh", "equals", []))])
    assert info.value.problems == [
        "Nơi ở: nhóm chưa có trường nào; hãy thêm ít nhất một trường vào nhóm này.",
        "Giới tính: hãy nhập các lựa chọn, mỗi dòng một lựa chọn.",
        "B: hãy chọn giá trị của “Giới tính” để trường này hiện ra.",
    ]


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


def test_conditions_inside_a_repeatable_group_round_trip():
    specs = [FieldSpec("children", "Con", "repeat", children=[
        FieldSpec("adopted", "Con nuôi", "boolean"),
        FieldSpec("decision", "Số quyết định nhận nuôi", "text", True,
                  condition=Condition("adopted", "ticked"))])]
    schema, ui = specs_to_schema(specs)
    assert schema["properties"]["children"]["items"]["allOf"][0]["then"] == {"required": ["decision"]}
    back, unsupported = schema_to_specs(schema, ui)
    assert unsupported == [] and back == specs
    form = compile_schema(schema, ui)
    assert [e.path for e in form.validate({"children": [{"adopted": True}, {"adopted": False}]})] == \
        ["/children/0/decision"]
