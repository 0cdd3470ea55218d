"""Localized field labels, section paths and kinds for error messages, found by walking the raw schema."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import pointer_parts
from .i18n import node_text, translate
from .messages import FORM, ITEM

_BRANCH_KEYS = ("allOf", "anyOf", "oneOf")


def resolve_ref(root: dict, node: object, seen: int = 0) -> object:
    """Follow a local "$ref" (JSON pointer into the root) up to a small depth."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 16:
        ref = node["$ref"]
        if not ref.startswith("#"):
            return node
        target: object = root
        for part in pointer_parts(ref[1:]):
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                return node
        seen += 1
        if isinstance(target, dict) and len(node) > 1:
            target = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        node = target
    return node


def expand(root: dict, node: object, depth: int = 0) -> list[dict]:
    """The node and every subschema that applies at the same instance location."""
    node = resolve_ref(root, node)
    if not isinstance(node, dict) or depth > 8:
        return []
    found = [node]
    for key in _BRANCH_KEYS:
        for sub in node.get(key) or () if isinstance(node.get(key), list) else ():
            found += expand(root, sub, depth + 1)
    for key in ("then", "else"):
        found += expand(root, node.get(key), depth + 1)
    dependent = node.get("dependentSchemas")
    if isinstance(dependent, dict):
        for sub in dependent.values():
            found += expand(root, sub, depth + 1)
    return found


def _child(root: dict, nodes: list[dict], part: str, is_index: bool) -> list[dict]:
    """Subschemas for one step of the instance path."""
    out: list[dict] = []
    for node in nodes:
        if is_index:
            sub = node.get("items")
        else:
            props = node.get("properties")
            sub = props.get(part) if isinstance(props, dict) else None
        if sub is not None:
            out += expand(root, sub)
    return out


def _title(nodes: list[dict], locale: str) -> str | None:
    for node in nodes:
        text = node_text(node, "title", locale)
        if isinstance(text, str) and text:
            return text
    return None


SECTION_SEPARATOR = " – "


@dataclass(frozen=True)
class Description:
    """What an error says about its field: own label, the section path above it, the field's kind."""

    label: str
    section: str
    kind: str  # text | date | choice | yes_no | many | list | group | pledge
    example: str | None = None


def field_kind(root: dict, nodes: list[dict]) -> str:
    """The kind of field the schema nodes at one location describe (how to ask for it)."""
    kinds = [n.get("type") for n in nodes if isinstance(n.get("type"), str)]
    kind = kinds[0] if kinds else None
    choices = any("enum" in n or "oneOf" in n or "anyOf" in n for n in nodes)
    if not choices and any(n.get("const") is True for n in nodes) and kind in (None, "boolean"):
        return "pledge"
    if kind == "object" or (kind is None and any("properties" in n for n in nodes)):
        return "group"
    if kind == "array" or (kind is None and any("items" in n for n in nodes)):
        items = [i for n in nodes if isinstance(i := resolve_ref(root, n.get("items")), dict)]
        return "many" if any("enum" in i or "oneOf" in i or "anyOf" in i for i in items) else "list"
    if choices:
        return "choice"
    if kind == "boolean":
        return "yes_no"
    if any(n.get("format") in ("date", "date-time") for n in nodes):
        return "date"
    return "text"


def describe(root: dict, pointer: str, locale: str) -> Description:
    """Label, section path ("Mẹ – Địa chỉ", "Con, mục 2") and kind of the field at an instance pointer."""
    parts = pointer_parts(pointer)
    nodes = expand(root, root)
    if not parts:
        return Description(_title(nodes, locale) or translate(FORM, locale), "", "group")
    crumbs: list[str] = []
    for part in parts:
        is_index = part.isdigit() and not any(
            isinstance(n.get("properties"), dict) and part in n["properties"] for n in nodes
        )
        nodes = _child(root, nodes, part, is_index)
        if is_index:
            group = crumbs.pop() if crumbs else part
            crumbs.append(translate(ITEM, locale, group=group, num=int(part) + 1))
        else:
            crumbs.append(_title(nodes, locale) or part)
    example = next((str(n["examples"][0]) for n in nodes
                    if isinstance(n.get("examples"), list) and n["examples"]), None)
    return Description(crumbs[-1], SECTION_SEPARATOR.join(crumbs[:-1]), field_kind(root, nodes), example)
