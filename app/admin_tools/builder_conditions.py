"""Conditions of the visual builder: "show field B when A is …", written as the form engine reads them.

One `allOf` member per condition on the object holding both fields (docs/forms.md,
"Conditional fields"), the shape of the shipped forms:

    {"if": {"properties": {"a": {"const": "x"}}, "required": ["a"]},
     "then": {"required": ["b"], "properties": {"c": true}}}

`if` tests one sibling with `const` (equals, is ticked, is not ticked) or `enum` (is one of) and
requires it, so an empty A hides B; `then` lists the fields shown, in `required` when they must
be filled once shown, else in `properties` (a mention). forms.js shows and hides them from the
same schema; the server prunes and validates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

# Operators the engine's client-side tests support (app/forms/conditions.py: const/enum).
OPERATORS = ("equals", "in", "ticked", "not_ticked")
CHOICE_TYPES = ("select", "radio")
TEXT_TYPES = ("text", "textarea", "email", "phone", "citizen_id", "date", "unit")
NUMBER_TYPES = ("integer", "number")
# Types a condition may test, and the operators each allows.
CONTROLLERS = {**{t: ("equals", "in") for t in (*CHOICE_TYPES, *TEXT_TYPES, *NUMBER_TYPES)},
               "boolean": ("ticked", "not_ticked")}


@dataclass
class Condition:
    """Show a field only while the sibling `field` satisfies `op` with `values`."""

    field: str
    op: str = "equals"
    values: list[Any] = field(default_factory=list)


def typed(value: Any, kind: str) -> Any:
    """A value typed by the administrator as the controlling field stores it; ValueError if not."""
    if kind == "integer":
        return int(str(value).strip())
    if kind == "number":
        return float(str(value).strip().replace(",", "."))
    return str(value).strip() if isinstance(value, str) else value


def _test(condition: Condition, controller: Any) -> dict:
    if condition.op == "ticked":
        return {"const": True}
    if condition.op == "not_ticked":
        return {"const": False}
    values = [typed(v, controller.type) for v in condition.values]
    return {"const": values[0]} if condition.op == "equals" else {"enum": values}


def condition_problems(specs: list, name_of) -> list[str]:
    """Every problem of the conditions among these sibling specs, each naming its field."""
    return [text for _spec, text in condition_issues(specs, name_of)]


def condition_issues(specs: list, name_of) -> list[tuple[Any, str]]:
    """(spec, problem) for every condition among these siblings that cannot be written."""
    return [(spec, text) for spec in specs if spec.condition is not None
            for text in _problems_of(spec, specs, name_of)]


def _problems_of(spec, specs: list, name_of) -> list[str]:
    by_key = {s.key: s for s in specs}
    condition, name = spec.condition, name_of(spec)
    controller = by_key.get(condition.field)
    if controller is None or controller is spec:
        return [_("%(field)s: choose the field of the same group that decides when it is shown.",
                  field=name)]
    other = controller.label or controller.key
    allowed = CONTROLLERS.get(controller.type, ())
    problems: list[str] = []
    if not allowed:
        problems.append(_("%(field)s: “%(other)s” cannot decide when a field is shown; choose a "
                          "list, a choice, a tick box, a text or a number.", field=name, other=other))
    elif condition.op not in allowed:
        problems.append(_("%(field)s: for “%(other)s” choose: %(ops)s.", field=name, other=other,
                          ops=", ".join(operator_label(op) for op in allowed)))
    elif condition.op in ("equals", "in"):
        problems += _value_problems(condition, controller, name)
    if _depends_on(by_key, controller, spec.key):
        problems.append(_("%(field)s: “%(other)s” is itself shown only depending on this field.",
                          field=name, other=other))
    return problems


def _value_problems(condition: Condition, controller, name: str) -> list[str]:
    values = [v for v in condition.values if str(v).strip()]
    if not values:
        return [_("%(field)s: choose the value of “%(other)s” that shows it.", field=name,
                  other=controller.label or controller.key)]
    if condition.op == "equals" and len(values) > 1:
        return [_("%(field)s: “equals” takes one value; use “is one of” for several.", field=name)]
    if controller.type in CHOICE_TYPES:
        known = {o.value for o in controller.options}
        unknown = [str(v) for v in values if v not in known]
        if unknown:
            return [_("%(field)s: “%(other)s” has no option %(values)s.", field=name,
                      other=controller.label or controller.key, values=", ".join(unknown))]
    try:
        [typed(v, controller.type) for v in values]
    except ValueError:
        return [_("%(field)s: “%(other)s” holds numbers; write a number.", field=name,
                  other=controller.label or controller.key)]
    return []


def _depends_on(by_key: dict, spec, key: str, depth: int = 0) -> bool:
    """Whether `spec` is shown depending (through others) on the field `key`."""
    condition = spec.condition
    if condition is None or depth > len(by_key):
        return False
    if condition.field == key:
        return True
    nxt = by_key.get(condition.field)
    return nxt is not None and _depends_on(by_key, nxt, key, depth + 1)


def operator_label(op: str) -> str:
    return {"equals": _("equals"), "in": _("is one of"), "ticked": _("is ticked"),
            "not_ticked": _("is not ticked")}[op]


def write_conditions(specs: list, required_when_shown) -> list[dict]:
    """The `allOf` members of these siblings' conditions (one per distinct test, fields in order)."""
    by_key = {s.key: s for s in specs}
    entries: dict[str, dict] = {}
    for spec in specs:
        if spec.condition is None:
            continue
        controller = by_key[spec.condition.field]
        test = _test(spec.condition, controller)
        marker = repr((spec.condition.field, sorted(test.items(), key=repr)))
        entry = entries.setdefault(marker, {
            "if": {"properties": {spec.condition.field: test}, "required": [spec.condition.field]},
            "then": {}})
        then = entry["then"]
        if required_when_shown(spec):
            then.setdefault("required", []).append(spec.key)
        else:
            then.setdefault("properties", {})[spec.key] = True
    return list(entries.values())


def _read_test(node: Any, names: set[str]) -> tuple[str, dict] | None:
    if not isinstance(node, dict) or set(node) - {"properties", "required"}:
        return None
    props = node.get("properties")
    if not isinstance(props, dict) or len(props) != 1:
        return None
    (key, test), = props.items()
    if key not in names or node.get("required") != [key] or not isinstance(test, dict):
        return None
    if set(test) == {"const"}:
        return key, test
    if set(test) == {"enum"} and isinstance(test["enum"], list) and test["enum"]:
        return key, test
    return None


def _condition(key: str, test: dict) -> Condition:
    if "enum" in test:
        return Condition(key, "in", list(test["enum"]))
    if test["const"] is True:
        return Condition(key, "ticked")
    if test["const"] is False:
        return Condition(key, "not_ticked")
    return Condition(key, "equals", [test["const"]])


def read_conditions(node: dict, names: set[str], required: set[str]
                    ) -> tuple[dict[str, tuple[Condition, bool]], list[str]] | None:
    """Each conditional field's condition and whether it is required when shown, from an object's
    `allOf` members (or its own if/then); the keywords read; None if the builder cannot edit them."""
    members: list[Any] = []
    used: list[str] = []
    if "allOf" in node:
        if not isinstance(node["allOf"], list):
            return None
        members += node["allOf"]
        used.append("allOf")
    if "if" in node or "then" in node:
        if "else" in node:
            return None
        members.append({"if": node.get("if"), "then": node.get("then")})
        used += ["if", "then"]
    found: dict[str, tuple[Condition, bool]] = {}
    for member in members:
        if not isinstance(member, dict) or set(member) != {"if", "then"}:
            return None
        test = _read_test(member["if"], names)
        then = member["then"]
        if test is None or not isinstance(then, dict) or set(then) - {"required", "properties"}:
            return None
        shown_required = then.get("required", [])
        shown_props = then.get("properties", {})
        if not isinstance(shown_required, list) or not isinstance(shown_props, dict) \
                or any(v not in (True, {}) for v in shown_props.values()):
            return None
        for key in [*shown_required, *shown_props]:
            if key not in names or key in found or key in required or key == test[0]:
                return None  # one condition per field, on a sibling, never required anyway
            found[key] = (_condition(*test), key in shown_required)
    return found, used
