"""The visual form builder's core: a list of field specs <-> JSON Schema + UI schema."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from app.forms.checks import is_property_name

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
# Builder type -> (JSON type, format, widget); choices and groups are handled apart.
SCALARS: dict[str, tuple[str, str | None, str | None]] = {
    "text": ("string", None, None),
    "textarea": ("string", None, "textarea"),
    "integer": ("integer", None, None),
    "number": ("number", None, None),
    "date": ("string", "date", None),
    "email": ("string", "email", None),
    "phone": ("string", "vn-phone", None),
    "citizen_id": ("string", "vn-citizen-id", None),
    "unit": ("string", "vn-unit", None),
    "boolean": ("boolean", None, None),
}
CHOICES = ("select", "radio", "checkboxes")
GROUPS = ("group", "repeat")
FIELD_TYPES = (*SCALARS, *CHOICES, *GROUPS)
# Default text limits so that a builder-made form never accepts unbounded text.
MAX_LENGTH = {"text": 255, "textarea": 2000}
# Keywords the builder writes itself; others are kept in FieldSpec.extra untouched.
OWN_KEYWORDS = {"type", "format", "title", "description", "x-i18n", "oneOf", "items",
                "properties", "required", "uniqueItems", "additionalProperties"}
OBJECT_ONLY = ("if", "then", "else", "allOf", "anyOf", "dependentRequired", "dependentSchemas",
               "$ref", "$defs", "patternProperties")


@dataclass
class Option:
    value: str
    label: str
    label_en: str = ""


@dataclass
class FieldSpec:
    """One field of the visual builder; groups and repeats carry children."""

    key: str
    label: str
    type: str = "text"
    required: bool = False
    label_en: str = ""
    help: str = ""
    help_en: str = ""
    options: list[Option] = field(default_factory=list)
    children: list["FieldSpec"] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    ui_extra: dict[str, Any] = field(default_factory=dict)  # ui:placeholder, ui:help… kept as is


class BuilderError(ValueError):
    """Field specs that cannot make a form; `.problems` lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def check_specs(specs: list[FieldSpec], where: str = "") -> list[str]:
    """Every problem of a spec list (keys, types, options), each naming its field."""
    problems, seen = [], set()
    for i, spec in enumerate(specs):
        name = f"{where}{spec.key or '#' + str(i + 1)}"
        if not is_property_name(spec.key or ""):
            problems.append(f"{name}: the key must start with a letter and use only letters, digits and _")
        elif spec.key in seen:
            problems.append(f"{name}: the key is used twice")
        seen.add(spec.key)
        if not spec.label.strip():
            problems.append(f"{name}: the label is required")
        if spec.type not in FIELD_TYPES:
            problems.append(f"{name}: unknown type {spec.type!r}")
        if spec.type in CHOICES:
            values = [o.value for o in spec.options]
            if not values:
                problems.append(f"{name}: a choice needs at least one option")
            if len(set(values)) != len(values):
                problems.append(f"{name}: two options have the same value")
        if spec.type in GROUPS:
            if not spec.children:
                problems.append(f"{name}: a group needs at least one field")
            problems += check_specs(spec.children, f"{name}.")
    return problems


def _texts(node: dict, spec: FieldSpec) -> None:
    node["title"] = spec.label.strip()
    if spec.help.strip():
        node["description"] = spec.help.strip()
    en = {k: v.strip() for k, v in (("title", spec.label_en), ("description", spec.help_en)) if v.strip()}
    if en:
        node["x-i18n"] = {"en": en}


def _options(spec: FieldSpec) -> list[dict]:
    out = []
    for option in spec.options:
        member: dict[str, Any] = {"const": option.value, "title": option.label or option.value}
        if option.label_en:
            member["x-i18n"] = {"en": {"title": option.label_en}}
        out.append(member)
    return out


def _object(specs: list[FieldSpec], ui: dict) -> dict:
    node: dict[str, Any] = {"type": "object", "properties": {}}
    for spec in specs:
        child_ui: dict[str, Any] = {}
        node["properties"][spec.key] = _field(spec, child_ui)
        if child_ui:
            ui[spec.key] = child_ui
    required = [s.key for s in specs if s.required or _group_required(s)]
    if required:
        node["required"] = required
    node["additionalProperties"] = False
    ui["ui:order"] = [s.key for s in specs]
    return node


def _group_required(spec: FieldSpec) -> bool:
    """A shown group with required fields must be filled, unless it says it is optional
    (docs/forms.md): the builder writes that rule out instead of leaving it ambiguous."""
    return spec.type == "group" and not spec.extra.get("x-optional") and \
        any(child.required or _group_required(child) for child in spec.children)


def _field(spec: FieldSpec, ui: dict) -> dict:
    if spec.type == "group":
        node = _object(spec.children, ui)
    elif spec.type == "repeat":
        item_ui: dict[str, Any] = {}
        node = {"type": "array", "items": _object(spec.children, item_ui)}
        ui["items"] = item_ui
    elif spec.type == "checkboxes":
        node = {"type": "array", "items": {"type": "string", "oneOf": _options(spec)},
                "uniqueItems": True}
        ui["ui:widget"] = "checkboxes"
    elif spec.type in ("select", "radio"):
        node = {"type": "string", "oneOf": _options(spec)}
        if spec.type == "radio":
            ui["ui:widget"] = "radio"
    else:
        json_type, fmt, widget = SCALARS[spec.type]
        node = {"type": json_type}
        if fmt:
            node["format"] = fmt
        if widget:
            ui["ui:widget"] = widget
        if spec.type in MAX_LENGTH and "maxLength" not in spec.extra:
            node["maxLength"] = MAX_LENGTH[spec.type]
        if spec.type == "boolean" and spec.required:
            node["const"] = True  # a required tick box is a pledge: it must be ticked
    _texts(node, spec)
    node.update(copy.deepcopy(spec.extra))
    ui.update(copy.deepcopy(spec.ui_extra))
    return node


def specs_to_schema(specs: list[FieldSpec], title: str = "", title_en: str = "") -> tuple[dict, dict]:
    """The JSON Schema and UI schema of a form made of these fields; raises BuilderError."""
    problems = check_specs(specs)
    if problems:
        raise BuilderError(problems)
    ui: dict[str, Any] = {}
    body = _object(specs, ui)
    schema: dict[str, Any] = {"$schema": SCHEMA_URI, "type": "object"}
    if title.strip():
        schema["title"] = title.strip()
        if title_en.strip():
            schema["x-i18n"] = {"en": {"title": title_en.strip()}}
    schema.update(body)
    return schema, ui


def _type_of(node: dict, ui: dict) -> str | None:
    widget = ui.get("ui:widget")
    kind = node.get("type")
    if kind == "object":
        return "group"
    if kind == "array":
        items = node.get("items") if isinstance(node.get("items"), dict) else {}
        if isinstance(items.get("oneOf"), list):
            return "checkboxes"
        return "repeat" if items.get("type") == "object" else None
    if isinstance(node.get("oneOf"), list) and kind == "string":
        return "radio" if widget == "radio" else "select"
    for name, (json_type, fmt, wid) in SCALARS.items():
        if kind == json_type and node.get("format") == fmt and (wid or None) == (widget or None):
            return name
    return None


def _read_options(members: list) -> list[Option] | None:
    options = []
    for member in members:
        if not isinstance(member, dict) or set(member) - {"const", "title", "x-i18n"} \
                or not isinstance(member.get("const"), str):
            return None
        en = ((member.get("x-i18n") or {}).get("en") or {}).get("title", "")
        options.append(Option(member["const"], member.get("title", member["const"]), en))
    return options


def _read_object(node: dict, ui: dict, pointer: str, unsupported: list[str]) -> list[FieldSpec]:
    for keyword in OBJECT_ONLY:
        if keyword in node:
            unsupported.append(f"{pointer or '/'}: {keyword}")
    properties = node.get("properties") or {}
    order = ui.get("ui:order") if isinstance(ui.get("ui:order"), list) else []
    names = [n for n in order if n in properties] + [n for n in properties if n not in order]
    required = set(node.get("required") or [])
    specs = []
    for name in names:
        child = properties[name]
        child_ui = ui.get(name) if isinstance(ui.get(name), dict) else {}
        spec = _read_field(name, child, child_ui, f"{pointer}/properties/{name}", unsupported)
        if spec is not None:
            spec.required = name in required
            specs.append(spec)
    return specs


def _read_field(key: str, node: Any, ui: dict, pointer: str, unsupported: list[str]) -> FieldSpec | None:
    if not isinstance(node, dict):
        unsupported.append(f"{pointer}: {_('not an object')}")
        return None
    kind = _type_of(node, ui)
    if kind is None:
        unsupported.append(f"{pointer}: {_('a field the builder cannot edit')}")
        return None
    en = (node.get("x-i18n") or {}).get("en") or {}
    spec = FieldSpec(key=key, label=node.get("title", key), type=kind,
                     label_en=en.get("title", ""), help=node.get("description", ""),
                     help_en=en.get("description", ""))
    if kind in ("select", "radio", "checkboxes"):
        members = node["oneOf"] if kind != "checkboxes" else node["items"]["oneOf"]
        options = _read_options(members)
        if options is None:
            unsupported.append(f"{pointer}: {_('options the builder cannot edit')}")
            return None
        spec.options = options
    elif kind == "group":
        spec.children = _read_object(node, ui, pointer, unsupported)
    elif kind == "repeat":
        items_ui = ui.get("items") if isinstance(ui.get("items"), dict) else {}
        spec.children = _read_object(node["items"], items_ui, pointer + "/items", unsupported)
        extra_items = set(node["items"]) - OWN_KEYWORDS
        if extra_items:
            unsupported.append(f"{pointer}/items: {', '.join(sorted(extra_items))}")
    spec.ui_extra = {k: copy.deepcopy(v) for k, v in ui.items()
                     if k.startswith("ui:") and k not in ("ui:widget", "ui:order")}
    # Unknown keywords (patterns, limits, even conditions) ride along untouched.
    spec.extra = {k: copy.deepcopy(v) for k, v in node.items() if k not in OWN_KEYWORDS}
    if kind in MAX_LENGTH and spec.extra.get("maxLength") == MAX_LENGTH[kind]:
        del spec.extra["maxLength"]
    if kind == "boolean" and spec.extra.get("const") is True:
        del spec.extra["const"]  # written again from `required`
    return spec


def schema_to_specs(schema: dict, ui_schema: dict | None = None) -> tuple[list[FieldSpec], list[str]]:
    """The builder's fields of a schema, and the places it cannot represent (edit those as JSON)."""
    unsupported: list[str] = []
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return [], ["/: the form must be an object"]
    specs = _read_object(schema, ui_schema or {}, "", unsupported)
    return specs, unsupported

