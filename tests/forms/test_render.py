"""Rendering: escaping, accessibility wiring, error summary, no-JS repeatable groups, read-only views."""

from conftest import form_of, soup
from werkzeug.datastructures import MultiDict

from app.forms.errors import FieldError


def test_schema_text_is_escaped_everywhere():
    evil = "<script>alert(1)</script>"
    form = form_of({"x": {"type": "string", "title": evil, "description": evil, "enum": [evil, "Hai"]}},
                   ui={"x": {"ui:help": evil, "ui:widget": "radio", "ui:enumNames": [evil, "Hai"]}})
    html = str(form.render({"x": evil}, [FieldError("/x", evil)]))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" not in str(form.render_readonly({"x": evil}))
    assert form.readonly_rows({"x": evil})[0] == (evil, evil, 0)  # plain text stays plain


def test_labels_help_required_and_error_wiring():
    form = form_of({"name": {"type": "string", "title": "Họ và tên", "description": "Như trên giấy tờ"}},
                   required=["name"], ui={"name": {"ui:help": "Viết hoa có dấu", "ui:placeholder": "NGUYỄN VĂN A"}})
    html = soup(form.render({}, [FieldError("/name", "Họ và tên: bắt buộc nhập")]))
    control = html.select_one("#mcf-name")
    assert html.select_one("label[for=mcf-name] .mcf-required").get_text() == "*"
    assert control.has_attr("required") and control["aria-required"] == "true"
    assert control["aria-invalid"] == "true" and control["placeholder"] == "NGUYỄN VĂN A"
    described = control["aria-describedby"].split()
    assert described == ["mcf-name-desc", "mcf-name-help", "mcf-name-error"]
    assert html.select_one("#mcf-name-error").get_text() == "Họ và tên: bắt buộc nhập"


def test_error_summary_is_an_alert_linking_to_each_field():
    form = form_of({"a": {"type": "string"}, "g": {"type": "object", "properties": {"b": {"type": "string"}}},
                    "r": {"enum": ["Một", "Hai"]}}, ui={"r": {"ui:widget": "radio"}})
    errors = [FieldError("/a", "A sai"), FieldError("/g/b", "B sai"), FieldError("/r", "R sai"),
              FieldError("/zz", "Z sai"), FieldError("", "Gốc sai")]
    html = soup(form.render({}, errors))
    summary = html.select_one(".mcf-error-summary")
    assert summary["role"] == "alert" and html.select_one(".mcf-form").contents[0] is summary
    links = {a.get_text(): a["href"] for a in summary.select("a")}
    assert links == {"A sai": "#mcf-a", "B sai": "#mcf-g-b", "R sai": "#mcf-r", "Z sai": "#mcf-_form", "Gốc sai": "#mcf-_form"}
    for href in links.values():
        assert html.select_one(href) is not None
    assert "mcf-r-error" in html.select_one("#mcf-r-group")["aria-describedby"]
    assert html.select_one("#mcf-r-group")["aria-invalid"] == "true"


def test_every_input_has_a_label_and_groups_have_legends(birth_form):
    html = soup(birth_form.render())
    for control in html.select("input:not([type=hidden]), select, textarea"):
        assert html.select_one(f"label[for='{control['id']}']") is not None, control
    for fieldset in html.select("fieldset"):
        assert fieldset.find("legend", recursive=False) is not None
    ids = [el["id"] for el in html.select("[id]") if not el.find_parent("template")]
    assert len(ids) == len(set(ids))


def test_prefix_namespaces_names_and_ids():
    form = form_of({"a": {"type": "string"}})
    html = soup(form.render(prefix="data."))
    assert html.select_one("input[name='data.a']")["id"] == "mcf-data-a"
    assert form.from_formdata(MultiDict([("data.a", "x"), ("a", "y")]), prefix="data.") == {"a": "x"}


def test_add_and_remove_buttons_work_without_javascript():
    form = form_of({"name": {"type": "string"},
                    "children": {"type": "array", "title": "Con", "maxItems": 2,
                                 "items": {"type": "object", "title": "Con", "properties": {"name": {"type": "string", "title": "Tên"}}}}})
    html = soup(form.render())
    add = html.select_one("button[name=_add]")
    assert add["value"] == "children" and add["type"] == "submit" and add.has_attr("formnovalidate")
    data, handled = form.handle_array_buttons(MultiDict([("name", "A"), ("_add", "children")]))
    assert handled and data == {"name": "A", "children": [{}]}
    html = soup(form.render(data))
    assert html.select_one("input[name='children.0.name']") is not None
    data, handled = form.handle_array_buttons(MultiDict([("children.0.name", "B"), ("_add", "children")]))
    assert data == {"children": [{"name": "B"}, {}]}
    assert soup(form.render(data)).select_one(".mcf-add").has_attr("hidden")  # maxItems reached
    data, handled = form.handle_array_buttons(MultiDict([("children.0.name", "B"), ("children.1.name", "C"),
                                                         ("_remove", "children.0")]))
    assert handled and data == {"children": [{"name": "C"}]}
    assert form.handle_array_buttons(MultiDict([("name", "A")])) == ({"name": "A"}, False)


def test_nested_repeatable_group_add():
    item = {"type": "object", "properties": {"vaccines": {"type": "array", "items": {"type": "string"}}}}
    form = form_of({"children": {"type": "array", "items": item}})
    data, _ = form.handle_array_buttons(MultiDict([("children.0.vaccines.0", "BCG"), ("_add", "children.0.vaccines")]))
    assert data == {"children": [{"vaccines": ["BCG", ""]}]}


def test_template_for_javascript_uses_placeholders():
    form = form_of({"kids": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "string"}}}}})
    template = soup(form.render()).select_one("template.mcf-template")
    assert "kids.__i__.n" in str(template)


def test_read_only_views(birth_form):
    data = {"requester": {"full_name": "Lê Văn B", "phone": "0912345678", "relationship": "cha"},
            "child": {"full_name": "Lê Minh C", "gender": "nam", "date_of_birth": "2025-03-01",
                      "place_of_birth_unit": "25123"},
            "mother": {"full_name": "Trần Thị D", "citizen_id": "001190123456"},
            "father_known": False, "siblings": [{"name": "An", "year": 2020}], "copies": 2, "delivery": "office"}
    html = soup(birth_form.render_readonly(data))
    terms = [dt.get_text() for dt in html.select("dt")]
    assert "Cha" not in terms and "Địa chỉ nhận" not in terms  # conditional fields not filled are left out
    assert "Thư điện tử" in terms  # unconditional empty fields show "(not provided)"
    rows = birth_form.readonly_rows(data, locale="en")
    assert ("Sex", "Male", 1) in rows and ("Date of birth", "01/03/2025", 1) in rows
    assert ("Siblings", "", 0) in rows and ("Sibling 1", "", 1) in rows and ("Name", "An", 2) in rows
    assert ("Father is known", "No", 0) in rows
