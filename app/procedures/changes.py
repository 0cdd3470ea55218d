"""What changed between two forms of a procedure, in words an administrator reads.

`describe_changes(old, new)` compares the form parts (schema, UI schema, required documents) of
a version (or None) with another version or a mapping of the same parts. Fields are matched by
their place in the data (property names), so a field moved into `$defs` is not "added". Each
change names the JSON pointer of the field in the definition file. A new group is one line
listing the fields inside it (a group inside it gets its own line). A field is required always
(the object's `required`), only while a condition shows it (a branch's `required`: if/then/else,
dependentRequired, dependentSchemas — said with the condition in words), or not at all. The
publish page and the import summaries (CLI and admin page) show these; the raw JSON diff stays
a secondary view.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from app.procedures.definitions import N_

RULE_KEYS = ("minLength", "maxLength", "pattern", "format", "minimum", "maximum",
             "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
             "uniqueItems", "const", "additionalProperties", "readOnly")
CHOICE_KEYS = ("enum", "oneOf", "anyOf")
CONDITION_KEYS = ("allOf", "if", "then", "else", "dependentRequired", "dependentSchemas", "not")
STRUCTURE_KEYS = ("type", "title", "description", "x-i18n", "properties", "items", "required",
                  "$ref", "$defs", "$schema", "$id", "$comment")
KNOWN_KEYS = set(RULE_KEYS + CHOICE_KEYS + CONDITION_KEYS + STRUCTURE_KEYS)
MAX_DEPTH = 16
MAX_FIELDS = 2000  # a recursive $ref must not make the walk endless
ITEM = "[]"  # the path segment of an array's items


TEXTS = {
    "field_added": N_("Field added: “%(label)s” (%(pointer)s)"),
    "required_field_added": N_("Required field added: “%(label)s” (%(pointer)s)"),
    "conditional_field_added": N_("Field added: “%(label)s”, required when shown (%(when)s) "
                                  "(%(pointer)s)"),
    "group_added": N_("Group added: “%(label)s”, with the fields: %(details)s (%(pointer)s)"),
    "required_group_added": N_("Required group added: “%(label)s”, with the fields: "
                               "%(details)s (%(pointer)s)"),
    "conditional_group_added": N_("Group added: “%(label)s”, required when shown (%(when)s), "
                                  "with the fields: %(details)s (%(pointer)s)"),
    "field_removed": N_("Field removed: “%(label)s” (%(pointer)s)"),
    "made_required": N_("“%(label)s” is now required (%(pointer)s)"),
    "made_conditionally_required": N_("“%(label)s” is now required when shown (%(when)s) "
                                      "(%(pointer)s)"),
    "made_optional": N_("“%(label)s” is no longer required (%(pointer)s)"),
    "relabelled": N_("Field relabelled: “%(old)s” → “%(new)s” (%(pointer)s)"),
    "title_changed": N_("Form title changed: “%(old)s” → “%(new)s”"),
    "help_changed": N_("Help text of “%(label)s” changed (%(pointer)s)"),
    "translation_changed": N_("Translations of “%(label)s” changed (%(pointer)s)"),
    "type_changed": N_("Type of “%(label)s” changed: %(old)s → %(new)s (%(pointer)s)"),
    "choices_changed": N_("Choices of “%(label)s” changed: %(details)s (%(pointer)s)"),
    "rules_changed": N_("Rules of “%(label)s” changed: %(details)s (%(pointer)s)"),
    "conditions_changed": N_("Conditions in “%(label)s” changed (%(pointer)s)"),
    "order_changed": N_("Order of the fields in “%(label)s” changed (%(pointer)s)"),
    "display_changed": N_("Display of “%(label)s” changed: %(details)s (%(pointer)s)"),
    "other_changed": N_("Other settings of “%(label)s” changed: %(details)s (%(pointer)s)"),
    "document_added": N_("Document added: “%(label)s” (%(pointer)s)"),
    "required_document_added": N_("Required document added: “%(label)s” (%(pointer)s)"),
    "document_removed": N_("Document removed: “%(label)s” (%(pointer)s)"),
    "document_required": N_("Document “%(label)s” is now required (%(pointer)s)"),
    "document_optional": N_("Document “%(label)s” is no longer required (%(pointer)s)"),
    "document_retitled": N_("Document renamed: “%(old)s” → “%(new)s” (%(pointer)s)"),
    "document_types_changed": N_("File types accepted for “%(label)s” changed: %(old)s → "
                                 "%(new)s (%(pointer)s)"),
    "document_details_changed": N_("Other details of the document “%(label)s” changed: "
                                   "%(details)s (%(pointer)s)"),
    "documents_reordered": N_("Order of the documents changed (%(pointer)s)"),
}
TYPE_NAMES = {"string": N_("text"), "integer": N_("whole number"), "number": N_("number"),
              "boolean": N_("yes/no"), "array": N_("list"), "object": N_("group"),
              "null": N_("empty")}


@dataclass(frozen=True)
class FormChange:
    """One change of a form, with the JSON pointer of what changed in the definition file."""

    kind: str
    pointer: str
    label: str = ""
    old: Any = None
    new: Any = None
    details: str = ""
    when: str = ""  # the condition under which a field is required, in words ("when …")

    def text(self) -> str:
        """The change in words, in the current language."""
        return _(TEXTS[self.kind], label=self.label, pointer=self.pointer, details=self.details,
                 old=_show(self.old), new=_show(self.new), when=self.when)

    __str__ = text

    def as_dict(self) -> dict[str, Any]:
        out = {"kind": self.kind, "pointer": self.pointer, "label": self.label,
               "old": self.old, "new": self.new}
        if self.details:
            out["details"] = self.details
        if self.when:
            out["when"] = self.when
        return out


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(_show(v) for v in value) or "—"
    if isinstance(value, str) and value in TYPE_NAMES:
        return _(TYPE_NAMES[value])
    return str(value)


ALWAYS, WHEN_SHOWN = "always", "shown"  # how a field is required ("" = optional)


@dataclass
class _Field:
    pointer: str
    node: dict
    label: str  # with the groups it is in: "Thông tin người mẹ › Họ và tên"
    need: str = ""  # ALWAYS, WHEN_SHOWN or ""
    when: str = ""  # for WHEN_SHOWN: the condition in words ("when “A” is “x”")
    title: str = ""  # its own label: "Họ và tên"

    @property
    def required(self) -> bool:
        return self.need == ALWAYS


def form_parts(value: Any) -> tuple[dict, dict, list]:
    """(schema, ui_schema, required_documents) of a version, a mapping, or None."""
    if value is None:
        return {}, {}, []
    if isinstance(value, dict):
        parts = (value.get("schema"), value.get("ui_schema"), value.get("required_documents"))
    elif isinstance(value, tuple | list):
        parts = tuple(value) + (None,) * (3 - len(value))
    else:
        parts = (value.schema, value.ui_schema, value.required_documents)
    schema, ui, docs = parts[:3]
    return (schema if isinstance(schema, dict) else {}, ui if isinstance(ui, dict) else {},
            docs if isinstance(docs, list) else [])


def form_fingerprint(version: Any) -> str:
    """A short digest of a form's parts: a confirmation page names what it confirmed."""
    schema, ui, docs = form_parts(version)
    text = json.dumps([schema, ui, docs], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def describe_changes(old: Any, new: Any, locale: str | None = None) -> list[FormChange]:
    """The changes from old (a version or None) to new (a version or its form parts)."""
    old_schema, old_ui, old_docs = form_parts(old)
    new_schema, new_ui, new_docs = form_parts(new)
    locale = locale or _locale()
    before, after = _fields(old_schema, locale), _fields(new_schema, locale)
    changes: list[FormChange] = []
    for path, field in after.items():
        previous = before.get(path)
        if previous is None:
            new_group = path[:-1] not in before
            if path and not (path[-1] == ITEM and new_group):  # a new list's items: in its line
                changes += _added(after, path, field, new_group)
        elif old is not None:
            changes += _field_changes(previous, field, root=not path)
    changes += [FormChange("field_removed", f.pointer, f.label) for path, f in before.items()
                if path and path not in after and path[:-1] in after]
    if old is not None:
        changes += _ui_changes(_flatten_ui(old_ui), _flatten_ui(new_ui), after, before)
    return changes + _document_changes(old_docs, new_docs, locale)


def _locale() -> str:
    found = get_locale()
    return str(found).split("_")[0] if found else "vi"


def _join(pointer: str, *parts: Any) -> str:
    """Append escaped segments to a JSON pointer."""
    return pointer + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _title(node: Any, locale: str) -> str | None:
    if not isinstance(node, dict):
        return None
    if locale != "vi":
        text = ((node.get("x-i18n") or {}).get(locale) or {}).get("title")
        if isinstance(text, str) and text:
            return text
    title = node.get("title")
    return title if isinstance(title, str) and title else None


def _resolve(root: dict, node: Any, pointer: str) -> tuple[Any, str]:
    """Follow local $refs; the pointer becomes the target's unless siblings override it."""
    for _step in range(16):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            break
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        node, pointer = ({**target, **siblings}, pointer) if siblings else (target, "/schema" + ref[1:])
    return node, pointer


def _fields(schema: dict, locale: str) -> dict[tuple, _Field]:
    """Every field of a schema by its path of property names (ITEM for array items)."""
    found: dict[tuple, _Field] = {}

    def visit(node: Any, pointer: str, path: tuple, field: _Field) -> None:
        node, pointer = _resolve(schema, node, pointer)
        if not isinstance(node, dict) or len(path) > MAX_DEPTH or len(found) >= MAX_FIELDS:
            return
        field.node, field.pointer = node, pointer
        found[path] = field
        prefix = f"{field.label} › " if path else ""
        properties = node.get("properties") if isinstance(node.get("properties"), dict) else {}
        needs = _needs(schema, node, properties, locale) if properties else {}
        children = [(sub, _join(pointer, "properties", name), name, name, needs.get(name, ("", "")))
                    for name, sub in properties.items()]
        if isinstance(node.get("items"), dict):
            children.append((node["items"], f"{pointer}/items", ITEM, _("item"), ("", "")))
        for sub, where, step, fallback, (need, when) in children:
            title = _title(_resolve(schema, sub, "")[0], locale) or fallback
            visit(sub, where, (*path, step), _Field(where, {}, prefix + title, need, when, title))

    title = _title(schema, locale) or _("the form")
    visit(schema, "/schema", (), _Field("/schema", {}, title, title=title))
    return found


def _children(fields: dict[tuple, _Field], path: tuple) -> list[tuple[tuple, _Field]]:
    """The fields directly inside a group, or inside each item of a list of groups."""
    inner = [(p, f) for p, f in fields.items() if len(p) == len(path) + 1 and p[:-1] == path]
    if len(inner) == 1 and inner[0][0][-1] == ITEM:
        return _children(fields, inner[0][0])
    return [(p, f) for p, f in inner if p[-1] != ITEM]


def _added(fields: dict[tuple, _Field], path: tuple, field: _Field, new_group: bool
           ) -> list[FormChange]:
    """What adding this field says: a field alone, or a group with the fields inside it (a
    group inside a new group has its own line; the other fields of a new group are listed in
    its line, each with how it is required)."""
    children = _children(fields, path)
    if new_group and not children:
        return []  # listed in the line of the new group holding it
    if not children:
        kind = {ALWAYS: "required_field_added", WHEN_SHOWN: "conditional_field_added"}.get(
            field.need, "field_added")
        return [FormChange(kind, field.pointer, field.label, when=field.when)]
    kind = {ALWAYS: "required_group_added", WHEN_SHOWN: "conditional_group_added"}.get(
        field.need, "group_added")
    details = ", ".join(_child_text(child) for _path, child in children)
    return [FormChange(kind, field.pointer, field.label, details=details, when=field.when)]


def _child_text(field: _Field) -> str:
    if field.need == ALWAYS:
        return _("%(label)s (required)", label=field.title)
    if field.need == WHEN_SHOWN:
        return _("%(label)s (required when shown, %(when)s)", label=field.title, when=field.when)
    return field.title


def _needs(root: dict, node: dict, properties: dict, locale: str) -> dict[str, tuple[str, str]]:
    """(ALWAYS or WHEN_SHOWN, the condition in words) of each field an object requires: in its
    `required` (and its `allOf` members'), or only in a conditional branch (if/then/else,
    dependentRequired, dependentSchemas) — required while the condition holds, i.e. when the
    field is shown (docs/forms.md, "Conditional fields")."""
    always: set[str] = set()
    conditions: dict[str, list[str]] = {}

    def when(name: str, text: str) -> None:
        if text not in conditions.setdefault(name, []):
            conditions[name].append(text)

    def walk(member: Any, depth: int) -> None:
        member = _resolve(root, member, "")[0]
        if not isinstance(member, dict) or depth > 8:
            return
        always.update(_names(member.get("required")))
        for sub in member.get("allOf") if isinstance(member.get("allOf"), list) else ():
            walk(sub, depth + 1)
        if "if" in member:
            for kind in ("then", "else"):
                for name in _required_in(root, member.get(kind), 0):
                    when(name, _condition(root, properties, member["if"], kind == "else", locale))
        dependent = member.get("dependentRequired")
        for key, names in (dependent.items() if isinstance(dependent, dict) else ()):
            for name in _names(names):
                when(name, _("when %(condition)s", condition=_filled(properties, key, locale)))
        dependent = member.get("dependentSchemas")
        for key, sub in (dependent.items() if isinstance(dependent, dict) else ()):
            for name in _required_in(root, sub, 0):
                when(name, _("when %(condition)s", condition=_filled(properties, key, locale)))

    walk(node, 0)
    out = {name: (WHEN_SHOWN, (" " + _("or") + " ").join(texts))
           for name, texts in conditions.items()}
    out.update({name: (ALWAYS, "") for name in always})
    return out


def _names(value: Any) -> list[str]:
    return [n for n in value if isinstance(n, str)] if isinstance(value, list) else []


def _required_in(root: dict, branch: Any, depth: int) -> list[str]:
    """The fields a branch requires (its `required` and its `allOf` members')."""
    branch = _resolve(root, branch, "")[0]
    if not isinstance(branch, dict) or depth > 8:
        return []
    found = _names(branch.get("required"))
    for sub in branch.get("allOf") if isinstance(branch.get("allOf"), list) else ():
        found += [n for n in _required_in(root, sub, depth + 1) if n not in found]
    return found


def _field_name(properties: dict, key: str, locale: str) -> str:
    return _title(properties.get(key), locale) or key


def _filled(properties: dict, key: str, locale: str) -> str:
    return _("“%(field)s” is filled in", field=_field_name(properties, key, locale))


def _value_text(node: Any, value: Any, locale: str) -> str:
    """A value as the citizen sees it: the title of its choice when the field has one."""
    for key in ("oneOf", "anyOf"):
        choices = node.get(key) if isinstance(node, dict) else None
        for choice in choices if isinstance(choices, list) else ():
            title = _title(choice, locale)
            if title and choice.get("const") == value:
                return f"“{title}”"
    return f"“{value}”"


def _condition(root: dict, properties: dict, test: Any, negate: bool, locale: str) -> str:
    """An `if` in words — "when “A” is “x” and “B” is ticked" — made of the const/enum tests on
    sibling fields the builder writes; any other test is named as a condition of the form."""
    unknown = _("when a condition of the form holds")
    test = _resolve(root, test, "")[0]
    if not isinstance(test, dict) or \
            set(test) - {"properties", "required", "title", "description", "$comment"}:
        return unknown
    tests = test.get("properties", {})
    if not isinstance(tests, dict):
        return unknown
    required = _names(test.get("required"))
    parts = []
    for key, sub in tests.items():
        sub = _resolve(root, sub, "")[0]
        values = [sub["const"]] if isinstance(sub, dict) and "const" in sub else \
            sub.get("enum") if isinstance(sub, dict) and isinstance(sub.get("enum"), list) else None
        if not values or set(sub) - {"const", "enum", "type", "title", "description"}:
            return unknown
        name, controller = _field_name(properties, key, locale), properties.get(key)
        if values == [True]:
            part = _("“%(field)s” is ticked", field=name)
        elif values == [False]:
            part = _("“%(field)s” is not ticked", field=name)
        elif len(values) == 1:
            part = _("“%(field)s” is %(value)s", field=name,
                     value=_value_text(controller, values[0], locale))
        else:
            part = _("“%(field)s” is one of %(values)s", field=name,
                     values=", ".join(_value_text(controller, v, locale) for v in values))
        parts.append(part if key in required else _("%(test)s, or is left empty", test=part))
    parts += [_filled(properties, key, locale) for key in required if key not in tests]
    if not parts:
        return unknown
    condition = (" " + _("and") + " ").join(parts)
    return _("unless %(condition)s", condition=condition) if negate else \
        _("when %(condition)s", condition=condition)


def _choices(node: dict) -> list[tuple[Any, Any]]:
    if isinstance(node.get("enum"), list):
        return [(v, None) for v in node["enum"]]
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list):
            return [(c.get("const"), c.get("title")) for c in node[key] if isinstance(c, dict)]
    return []


def _field_changes(old: _Field, new: _Field, root: bool) -> list[FormChange]:
    a, b, where, label = old.node, new.node, new.pointer, new.label
    out: list[FormChange] = []
    if (old.need, old.when) != (new.need, new.when):
        kind = {ALWAYS: "made_required", WHEN_SHOWN: "made_conditionally_required"}.get(
            new.need, "made_optional")
        out.append(FormChange(kind, where, label, when=new.when))
    if a.get("title") != b.get("title"):
        if root:
            out.append(FormChange("title_changed", where, label, a.get("title"), b.get("title")))
        else:
            out.append(FormChange("relabelled", where, label, old.label, new.label))
    if a.get("description") != b.get("description"):
        out.append(FormChange("help_changed", where, label))
    if a.get("x-i18n") != b.get("x-i18n"):
        out.append(FormChange("translation_changed", where, label))
    if a.get("type") != b.get("type"):
        out.append(FormChange("type_changed", where, label, a.get("type"), b.get("type")))
    old_choices, new_choices = _choices(a), _choices(b)
    if old_choices != new_choices:
        out.append(FormChange("choices_changed", where, label, [c[0] for c in old_choices],
                              [c[0] for c in new_choices], _choice_details(old_choices, new_choices)))
    rules = [k for k in RULE_KEYS if a.get(k) != b.get(k)]
    if rules:
        details = "; ".join(f"{k} {_show(a.get(k))} → {_show(b.get(k))}" for k in rules)
        out.append(FormChange("rules_changed", where, label, details=details))
    if any(a.get(k) != b.get(k) for k in CONDITION_KEYS):
        out.append(FormChange("conditions_changed", where, label))
    others = sorted(k for k in set(a) | set(b) if k not in KNOWN_KEYS and a.get(k) != b.get(k))
    if others:
        out.append(FormChange("other_changed", where, label, details=", ".join(others)))
    if _reordered(list(a.get("properties") or {}), list(b.get("properties") or {})):
        out.append(FormChange("order_changed", where, label))
    return out


def _reordered(old: Any, new: Any) -> bool:
    """Whether the items both lists hold come in another order (additions alone do not count)."""
    old, new = (v if isinstance(v, list) else [] for v in (old, new))
    return [x for x in old if x in new] != [x for x in new if x in old]


def _choice_details(old: list, new: list) -> str:
    old_values, new_values = [c[0] for c in old], [c[0] for c in new]
    parts = []
    added = [v for v in new_values if v not in old_values]
    removed = [v for v in old_values if v not in new_values]
    if added:
        parts.append(_("added %(values)s", values=_show(added)))
    if removed:
        parts.append(_("removed %(values)s", values=_show(removed)))
    if not parts:
        parts.append(_("labels or order"))
    return "; ".join(parts)


def _flatten_ui(ui: dict, path: tuple = ()) -> dict[tuple, dict]:
    """The ui:* settings of every path of a UI schema."""
    out: dict[tuple, dict] = {path: {k: v for k, v in ui.items() if k.startswith("ui:")}}
    for key, value in ui.items():
        if not key.startswith("ui:") and isinstance(value, dict) and len(path) < MAX_DEPTH:
            out.update(_flatten_ui(value, (*path, ITEM if key == "items" else key)))
    return out


def _ui_changes(old: dict, new: dict, fields: dict, old_fields: dict) -> list[FormChange]:
    out: list[FormChange] = []
    for path in [*new, *(p for p in old if p not in new)]:
        a, b = old.get(path, {}), new.get(path, {})
        field = fields.get(path) or old_fields.get(path)
        label = field.label if field else " › ".join(path)
        where = _join("/ui_schema", *("items" if p == ITEM else p for p in path))
        if _reordered(a.get("ui:order"), b.get("ui:order")):
            out.append(FormChange("order_changed", _join(where, "ui:order"), label))
        keys = sorted(k for k in set(a) | set(b) if k != "ui:order" and a.get(k) != b.get(k))
        if keys:
            out.append(FormChange("display_changed", where, label, details=", ".join(keys)))
    return out


def _document_title(doc: dict, locale: str) -> str:
    return _title(doc, locale) or str(doc.get("key", ""))


def _document_changes(old: list, new: list, locale: str) -> list[FormChange]:
    before = {d.get("key"): (i, d) for i, d in enumerate(old) if isinstance(d, dict)}
    after = {d.get("key"): (i, d) for i, d in enumerate(new) if isinstance(d, dict)}
    out: list[FormChange] = []
    for key, (i, doc) in after.items():
        where, label = f"/required_documents/{i}", _document_title(doc, locale)
        if key not in before:
            kind = "required_document_added" if doc.get("required") else "document_added"
            out.append(FormChange(kind, where, label))
            continue
        previous = before[key][1]
        if bool(previous.get("required")) != bool(doc.get("required")):
            kind = "document_required" if doc.get("required") else "document_optional"
            out.append(FormChange(kind, where, label))
        if previous.get("title") != doc.get("title"):
            out.append(FormChange("document_retitled", where, label, previous.get("title"),
                                  doc.get("title")))
        if previous.get("accept") != doc.get("accept"):
            out.append(FormChange("document_types_changed", where, label,
                                  previous.get("accept"), doc.get("accept")))
        others = sorted(k for k in set(previous) | set(doc) if k not in
                        ("key", "title", "required", "accept") and previous.get(k) != doc.get(k))
        if others:
            out.append(FormChange("document_details_changed", where, label,
                                  details=", ".join(others)))
    out += [FormChange("document_removed", f"/required_documents/{i}", _document_title(d, locale))
            for key, (i, d) in before.items() if key not in after]
    if _reordered(list(before), list(after)):
        out.append(FormChange("documents_reordered", "/required_documents"))
    return out
