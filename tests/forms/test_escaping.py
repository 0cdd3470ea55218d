"""No admin-written text or property key reaches the markup unescaped (macros render with autoescape)."""

from conftest import soup

from app.forms.build import Builder
from app.forms.compiled import CompiledForm
from app.forms.errors import FieldError

EVIL_KEY = 'a"onmouseover="alert(1)'
SCRIPT = "<script>alert(1)</script>"


def _unchecked_form(schema, ui=None):
    """The field tree built without compile_schema's checks (which refuse such keys) to test rendering alone."""
    builder = Builder(schema, ui)
    root = builder.build_root()
    return CompiledForm(schema, ui, root, builder.branches)


def _attributes(html) -> set[str]:
    return {name for el in soup(html).find_all(True) for name in el.attrs}


def test_a_property_key_with_quotes_stays_inside_its_attributes():
    text = {"type": "string", "title": "T", "description": "D"}
    schema = {"type": "object", "properties": {
        EVIL_KEY: text,
        "group": {"type": "object", "title": "G", "description": "D", "properties": {EVIL_KEY: text}},
        "kids": {"type": "array", "title": "K", "description": "D", "items": {
            "type": "object", "properties": {EVIL_KEY: text}}},
        "pick": {"type": "string", "title": "P", "description": "D", "enum": ["Một", "Hai"]}}}
    form = _unchecked_form(schema, {"pick": {"ui:widget": "radio"}, "ui:order": ["*"]})
    errors = [FieldError(f"/{EVIL_KEY}", "sai"), FieldError(f"/group/{EVIL_KEY}", "sai"),
              FieldError(f"/kids/0/{EVIL_KEY}", "sai"), FieldError("/pick", "sai")]
    data = {EVIL_KEY: "x", "group": {EVIL_KEY: "y"}, "kids": [{EVIL_KEY: "z"}]}
    html = form.render(data, errors, prefix="data.")
    assert "onmouseover" not in _attributes(html)
    parsed = soup(html)
    assert parsed.find("input", attrs={"name": f"data.{EVIL_KEY}"})["value"] == "x"
    assert parsed.find("input", attrs={"name": f"data.kids.0.{EVIL_KEY}"})["value"] == "z"
    assert "onmouseover" not in _attributes(form.render_readonly(data))


def test_script_in_every_admin_text_comes_back_as_text():
    schema = {"type": "object", "title": SCRIPT, "required": ["pledge"], "properties": {
        "name": {"type": "string", "title": SCRIPT, "description": SCRIPT},
        "note": {"type": "string", "title": SCRIPT},
        "pick": {"type": "string", "title": SCRIPT, "enum": ["a", "b"]},
        "radio": {"type": "integer", "title": SCRIPT, "oneOf": [{"const": 1, "title": SCRIPT}, {"const": 2, "title": "Hai"}]},
        "ticks": {"type": "array", "title": SCRIPT, "items": {"enum": ["x", "y"]}},
        "pledge": {"type": "boolean", "const": True, "title": SCRIPT, "description": SCRIPT},
        "yes": {"type": "boolean", "title": SCRIPT},
        "group": {"type": "object", "title": SCRIPT, "description": SCRIPT, "properties": {
            "inner": {"type": "string", "title": SCRIPT}}},
        "kids": {"type": "array", "title": SCRIPT, "items": {"type": "object", "title": SCRIPT, "properties": {
            "inner": {"type": "string", "title": SCRIPT}}}}}}
    ui = {"name": {"ui:help": SCRIPT, "ui:placeholder": SCRIPT}, "note": {"ui:widget": "textarea"},
          "pick": {"ui:enumNames": [SCRIPT, "B"]}, "radio": {"ui:widget": "radio"},
          "ticks": {"ui:enumNames": [SCRIPT, "Y"]},
          "kids": {"ui:options": {"addLabel": SCRIPT, "removeLabel": SCRIPT}}}
    form = _unchecked_form(schema, ui)
    data = {"name": SCRIPT, "note": SCRIPT, "pick": SCRIPT, "ticks": ["x"], "kids": [{"inner": SCRIPT}]}
    errors = [FieldError("/name", SCRIPT), FieldError("", SCRIPT), FieldError("/pledge", SCRIPT)]
    for html in (form.render(data, errors), form.render(), form.render_readonly(data)):
        parsed = soup(html)
        assert parsed.find("script") is None
        assert SCRIPT in parsed.get_text() or parsed.find(attrs={"placeholder": SCRIPT}) is not None
