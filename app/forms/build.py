"""Build the field tree from a schema and a UI schema, reporting every problem."""

from __future__ import annotations

from . import problems as P
from .conditions import client_clauses
from .errors import Problem, pointer_join
from .fields import FIELD_TYPES, Field
from .fields.choice import choice_source
from .fields.group import ObjectField, RepeatField
from .structure import merge_nodes, object_view, ref_pointer
from .titles import resolve_ref

UI_KEYS = {"ui:order", "ui:widget", "ui:placeholder", "ui:help", "ui:title", "ui:description",
           "ui:options", "ui:enumNames", "ui:autocomplete", "x-i18n"}
UI_OPTIONS = {"rows", "inline", "addable", "removable", "orderable", "addLabel", "removeLabel",
              "widget", "placeholder", "help", "title", "description", "enumNames"}
PREFILL_KEYS = {"full_name", "citizen_id", "date_of_birth", "phone", "email", "address", "gender"}
STRING_TYPES = {"date": "date", "date-time": "datetime", "email": "email", "vn-phone": "phone", "vn-mobile": "phone",
                "vn-citizen-id": "citizen_id", "vn-unit": "unit"}
MAX_DEPTH = 24


class Builder:
    """Walks the schema once, creating fields and collecting problems."""

    def __init__(self, root: dict, ui: dict | None):
        self.root = root
        self.ui = ui if isinstance(ui, dict) else {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.branches: list = []

    def problem(self, pointer: str, message: str, source: str = "schema", **params: object) -> None:
        """Record one problem (message: a msgid of problems.py, params its placeholders)."""
        self.problems.append(Problem(source, pointer, message, params))

    def flatten(self, node: object, pointer: str) -> tuple[dict, str]:
        """Resolve $ref and merge allOf members into one view of a non-object node."""
        pointer = ref_pointer(node, pointer)
        node = resolve_ref(self.root, node)
        if not isinstance(node, dict):
            return {}, pointer
        members = node.get("allOf")
        if isinstance(members, list) and not _is_object(node):
            merged = {k: v for k, v in node.items() if k != "allOf"}
            for member in members:
                merged = merge_nodes(merged, self.flatten(member, pointer)[0])
            node = merged
        return node, pointer

    def build_root(self) -> ObjectField:
        """The root object field (the whole form)."""
        node, pointer = self.flatten(self.root, "")
        if main_type(node) != "object":
            self.problem("", P.ROOT_NOT_OBJECT)
        root = ObjectField(None, node, self.ui, pointer)
        root.is_root = root.required = root.html_required = True
        self.fill_object(root, node, pointer, self.ui, "", 0)
        _propagate_required(root)
        return root

    def build(self, key: str | None, node: object, pointer: str, ui: object, ui_pointer: str, depth: int) -> Field | None:
        """One field (and its children) or None when it cannot be built."""
        if depth > MAX_DEPTH:
            self.problem(pointer, P.TOO_DEEP)
            return None
        if not isinstance(ui, dict):
            self.problem(ui_pointer, P.UI_ENTRY, "ui_schema")
            ui = {}
        node, pointer = self.flatten(node, pointer)
        node = dict(node)  # pick() may refine it; never touch the caller's schema
        type_name = self.pick(node, ui, pointer, ui_pointer)
        if type_name is None:
            return None
        cls = FIELD_TYPES[type_name]
        field = cls(key, node, ui, pointer)
        field.ui_pointer = ui_pointer
        if field.widget is not None and field.widget not in cls.widgets:
            self.problem(pointer_join(ui_pointer, "ui:widget"), P.BAD_WIDGET, "ui_schema",
                         widget=P.quoted(field.widget), type=type_name)
        if field.prefill_key is not None and field.prefill_key not in PREFILL_KEYS:
            self.problem(pointer_join(pointer, "x-prefill"), P.BAD_PREFILL, value=P.quoted(field.prefill_key),
                         choices=", ".join(sorted(PREFILL_KEYS)))
        self.check_ui(ui, ui_pointer)
        field.setup(self.problems)
        if isinstance(field, ObjectField):
            self.fill_object(field, node, pointer, ui, ui_pointer, depth)
        elif isinstance(field, RepeatField):
            item = self.build(None, node.get("items"), pointer_join(pointer, "items"), ui.get("items", {}), pointer_join(ui_pointer, "items"), depth + 1)
            if item is None:
                return None
            field.children = [item]
        return field

    def pick(self, node: dict, ui: dict, pointer: str, ui_pointer: str) -> str | None:
        """The registry type name for a node."""
        kind = main_type(node)
        widget = ui.get("ui:widget") or (ui.get("ui:options") or {}).get("widget")
        if kind is None:
            self.problem(pointer, P.NO_TYPE)
            return None
        if kind == "object":
            return "object"
        if kind == "array":
            items, _ = self.flatten(node.get("items"), pointer_join(pointer, "items"))
            if not items:
                self.problem(pointer, P.NO_ITEMS)
                return None
            if choice_source(items) is not None:
                node["items"] = items
                return "checkboxes"
            return "repeat"
        if kind == "boolean" and node.get("const") is True and choice_source(node) is None:
            return "pledge"
        if choice_source(node) is not None or (kind == "boolean" and widget in ("radio", "select")):
            return "radio" if widget == "radio" else "select"
        if kind == "boolean":
            return "boolean"
        if kind in ("integer", "number"):
            return kind
        fmt = node.get("format")
        if fmt in STRING_TYPES:
            return STRING_TYPES[fmt]
        return "textarea" if widget == "textarea" else "text"

    def fill_object(self, field: ObjectField, node: dict, pointer: str, ui: dict, ui_pointer: str, depth: int) -> None:
        """Children of an object in ui:order, with required and conditional flags."""
        view = object_view(self.root, node, pointer)
        field.view = view
        self.branches += view.branches
        names = list(view.properties)
        for name, where in view.required_pointers:
            if name not in view.properties:
                self.problem(where, P.UNDEFINED_REQUIRED, name=P.quoted(name))
        for branch in view.branches:
            if branch.key is not None and branch.key not in view.properties:
                self.problem(branch.pointer, P.CONDITION_ON_NOTHING, name=P.quoted(branch.key))
            test = resolve_ref(self.root, branch.test)
            if isinstance(test, dict) and isinstance(test.get("properties"), dict):
                for name in test["properties"]:
                    if name not in view.properties:
                        self.problem(pointer_join(branch.pointer[: branch.pointer.rfind("/")], "if", "properties", name),
                                     P.CONDITION_ON_NOTHING, name=P.quoted(name))
        if node.get("additionalProperties") not in (None, True, False):
            self.problem(pointer_join(pointer, "additionalProperties"), P.ADDITIONAL_SCHEMA)
        for key in ui:
            if not key.startswith("ui:") and key != "x-i18n" and key not in view.properties:
                self.problem(pointer_join(ui_pointer, key), P.UI_NOT_A_PROPERTY, "ui_schema", key=P.quoted(key))
        for name in self.order(names, ui.get("ui:order"), ui_pointer):
            child = self.build(name, view.properties[name], view.pointers.get(name, pointer_join(pointer, "properties", name)),
                               ui.get(name, {}), pointer_join(ui_pointer, name), depth + 1)
            if child is None:
                continue
            child.required = name in view.required
            child.cond_required = name in view.cond_required and not child.required
            child.conditional = name in view.conditional
            if child.conditional:
                child.when = client_clauses(self.root, view, name)
            self.check_tick_box(child)
            self.imply_group(child)
            field.children.append(child)

    def imply_group(self, field: Field) -> None:
        """The group rule: a group with required fields is itself required when shown, unless x-optional."""
        if not isinstance(field, ObjectField) or field.required or field.cond_required:
            return  # required by the schema (or by a branch of it): jsonschema says so already
        if field.node.get("x-optional") is True or not any(c.required for c in field.children):
            return
        field.implied = True
        if field.conditional:
            field.cond_required = True
        else:
            field.required = True
        self.warnings.append(Problem("schema", field.pointer, P.GROUP_IMPLIED))

    def check_tick_box(self, field: Field) -> None:
        """A required tick box must be a pledge (const true), and a pledge must be required."""
        if field.type_name == "boolean" and not field.hidden and (field.required or field.cond_required):
            self.problem(field.pointer, P.UNTICKED_REQUIRED)
        elif field.type_name == "pledge" and not (field.required or field.cond_required):
            self.problem(field.pointer, P.PLEDGE_NOT_REQUIRED)

    def order(self, names: list[str], order: object, ui_pointer: str) -> list[str]:
        """Apply ui:order (with the "*" wildcard) as react-jsonschema-form does."""
        if order is None:
            return names
        where = pointer_join(ui_pointer, "ui:order")
        if not isinstance(order, list) or not all(isinstance(o, str) for o in order):
            self.problem(where, P.ORDER_NOT_A_LIST, "ui_schema")
            return names
        for name in order:
            if name != "*" and name not in names:
                self.problem(where, P.ORDER_UNKNOWN, "ui_schema", name=P.quoted(name))
        listed = [n for n in order if n in names]
        rest = [n for n in names if n not in listed]
        if "*" not in order:
            if rest:
                self.problem(where, P.ORDER_INCOMPLETE, "ui_schema", names=P.quoted(rest))
            return listed + rest
        star = order.index("*")
        before = [n for n in order[:star] if n in names]
        after = [n for n in order[star + 1:] if n in names]
        return before + rest + after

    def check_ui(self, ui: dict, ui_pointer: str) -> None:
        """Unknown ui: keys and ui:options entries are problems."""
        for key in ui:
            if key.startswith("ui:") and key not in UI_KEYS:
                self.problem(pointer_join(ui_pointer, key), P.UNSUPPORTED_UI, "ui_schema", key=P.quoted(key))
        options = ui.get("ui:options")
        if options is not None:
            if not isinstance(options, dict):
                self.problem(pointer_join(ui_pointer, "ui:options"), P.OPTIONS_NOT_OBJECT, "ui_schema")
            else:
                for key in options:
                    if key not in UI_OPTIONS:
                        self.problem(pointer_join(ui_pointer, "ui:options", key), P.UNSUPPORTED_OPTION, "ui_schema",
                                     key=P.quoted(key))


def _propagate_required(field: Field) -> None:
    """HTML `required` only where the whole chain of groups is unconditionally required."""
    for child in field.children:
        if isinstance(field, RepeatField):
            child.html_required = True  # an item exists only once the citizen added it
        else:
            child.html_required = child.required and field.html_required and not child.conditional
        _propagate_required(child)


def _is_object(node: dict) -> bool:
    return main_type(node) == "object"


def main_type(node: dict) -> str | None:
    """The node's non-null type, declared or inferred from properties/items/choices."""
    declared = node.get("type")
    if isinstance(declared, list):
        kinds = [t for t in declared if t != "null"]
        return kinds[0] if len(kinds) == 1 else None
    if isinstance(declared, str):
        return declared
    if "properties" in node:
        return "object"
    if "items" in node:
        return "array"
    source = choice_source(node)
    if source is not None:
        values = source.get("enum") or [c.get("const") for c in source.get("oneOf") or source.get("anyOf") or []]
        kinds = {_json_type(v) for v in values}
        return kinds.pop() if len(kinds) == 1 else None
    return None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string" if isinstance(value, str) else "null"
