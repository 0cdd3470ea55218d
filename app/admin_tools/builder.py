"""The visual form builder's core: a list of field specs <-> JSON Schema + UI schema."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext as _

from app.admin_tools.builder_conditions import (
    Condition,
    condition_issues,
    condition_problems,
    read_conditions,
    write_conditions,
)
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
CONDITION_KEYWORDS = ("allOf", "if", "then")  # the builder's conditions (builder_conditions.py)


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
    condition: Condition | None = None  # shown only while a sibling field says so


class BuilderError(ValueError):
    """Field specs that cannot make a form; `.problems` lists every one."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def field_name(spec: FieldSpec, number: int, where: str = "") -> str:
    """How a problem names a field: its label (or key), inside its groups' labels."""
    own = spec.label.strip() or spec.key or f"#{number}"
    return f"{where} › {own}" if where else own


def spec_problems(spec: FieldSpec, name: str) -> list[str]:
    """The problems of one field alone (not of its children, keys or conditions)."""
    problems = []
    if not is_property_name(spec.key or ""):
        problems.append(_("%(field)s: the key must start with a letter and use only letters, "
                          "digits and _ (at most 64).", field=name))
    if not spec.label.strip():
        problems.append(_("%(field)s: write the label.", field=name))
    if spec.type not in FIELD_TYPES:
        problems.append(_("%(field)s: unknown type %(type)s.", field=name, type=spec.type))
    if spec.type in CHOICES:
        values = [o.value for o in spec.options]
        if not values:
            problems.append(_("%(field)s: write the options, one per line.", field=name))
        if len(set(values)) != len(values):
            problems.append(_("%(field)s: two options have the same value.", field=name))
    if spec.type in GROUPS and not spec.children:
        problems.append(_("%(field)s: the group has no field yet; add at least one field to it.",
                          field=name))
    return problems


def check_specs(specs: list[FieldSpec], where: str = "") -> list[str]:
    """Every problem of a spec list (keys, types, options, conditions), each naming its field."""
    problems, seen = [], set()
    names = {}
    for i, spec in enumerate(specs):
        name = names[id(spec)] = field_name(spec, i + 1, where)
        problems += spec_problems(spec, name)
        if spec.key and spec.key in seen:
            problems.append(_("%(field)s: another field of the same group has the key %(key)s.",
                              field=name, key=spec.key))
        seen.add(spec.key)
        if spec.type in GROUPS:
            problems += check_specs(spec.children, name)
    problems += condition_problems(specs, lambda s: names[id(s)])
    return problems


def previewable_specs(specs: list[FieldSpec], where: str = "") -> tuple[list[FieldSpec], list[str]]:
    """The fields a form being built can already show, and why the others cannot yet (an empty
    group, a list without options, a condition still incomplete…): the live preview shows the
    rest of the form meanwhile."""
    kept: list[FieldSpec] = []
    notes: list[str] = []
    seen: set[str] = set()
    names: dict[int, str] = {}
    for i, spec in enumerate(specs):
        name = field_name(spec, i + 1, where)
        if spec.type in GROUPS:
            children, inner = previewable_specs(spec.children, name)
            notes += inner
            spec = replace(spec, children=children)
        own = spec_problems(spec, name)
        if spec.key in seen:
            own.append(_("%(field)s: another field of the same group has the key %(key)s.",
                         field=name, key=spec.key))
        if own:
            notes += own
            continue
        seen.add(spec.key)
        names[id(spec)] = name
        kept.append(spec)
    broken = condition_issues(kept, lambda s: names[id(s)])
    notes += [text for _spec, text in broken]
    unconditional = {id(s) for s, _text in broken}
    return [replace(s, condition=None) if id(s) in unconditional else s for s in kept], notes


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
    required = [s.key for s in specs if _required_when_shown(s) and s.condition is None]
    if required:
        node["required"] = required
    node["additionalProperties"] = False
    conditions = write_conditions(specs, _required_when_shown)
    if conditions:
        node["allOf"] = conditions
    ui["ui:order"] = [s.key for s in specs]
    return node


def _required_when_shown(spec: FieldSpec) -> bool:
    return spec.required or _group_required(spec)


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
    properties = node.get("properties") or {}
    required = set(node.get("required") or [])
    read = read_conditions(node, set(properties), required)
    conditions, used = read if read is not None else ({}, [])
    for keyword in OBJECT_ONLY:
        if keyword in node and keyword not in used:
            unsupported.append(f"{pointer or '/'}: {keyword}")
    order = ui.get("ui:order") if isinstance(ui.get("ui:order"), list) else []
    names = [n for n in order if n in properties] + [n for n in properties if n not in order]
    specs = []
    for name in names:
        child = properties[name]
        child_ui = ui.get(name) if isinstance(ui.get(name), dict) else {}
        spec = _read_field(name, child, child_ui, f"{pointer}/properties/{name}", unsupported)
        if spec is not None:
            spec.required = name in required
            if name in conditions:
                spec.condition, spec.required = conditions[name]
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
        extra_items = set(node["items"]) - OWN_KEYWORDS - set(CONDITION_KEYWORDS)  # read above
        if extra_items:
            unsupported.append(f"{pointer}/items: {', '.join(sorted(extra_items))}")
    spec.ui_extra = {k: copy.deepcopy(v) for k, v in ui.items()
                     if k.startswith("ui:") and k not in ("ui:widget", "ui:order")}
    # Unknown keywords (patterns, limits…) ride along untouched; a group's conditions are its
    # fields' (written again from them).
    own = OWN_KEYWORDS | (set(CONDITION_KEYWORDS) if kind == "group" else set())
    spec.extra = {k: copy.deepcopy(v) for k, v in node.items() if k not in own}
    if kind in MAX_LENGTH and spec.extra.get("maxLength") == MAX_LENGTH[kind]:
        del spec.extra["maxLength"]
    if kind == "boolean" and spec.extra.get("const") is True:
        del spec.extra["const"]  # written again from `required`
    return spec


def schema_to_specs(schema: dict, ui_schema: dict | None = None) -> tuple[list[FieldSpec], list[str]]:
    """The builder's fields of a schema, and the places it cannot represent (edit those as JSON)."""
    unsupported: list[str] = []
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return [], ["/: " + _("the form must be an object")]
    specs = _read_object(schema, ui_schema or {}, "", unsupported)
    return specs, unsupported

