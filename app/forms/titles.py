"""Localized field labels for error messages, found by walking the raw schema."""

from __future__ import annotations

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


def label_for(root: dict, pointer: str, locale: str) -> str:
    """Label of the field at an instance pointer, e.g. "Children, item 2 › Name"."""
    parts = pointer_parts(pointer)
    if not parts:
        return _title(expand(root, root), locale) or translate(FORM, locale)
    nodes = expand(root, root)
    group_label = ""
    label = ""
    for part in parts:
        is_index = part.isdigit() and not any(
            isinstance(n.get("properties"), dict) and part in n["properties"] for n in nodes
        )
        nodes = _child(root, nodes, part, is_index)
        if is_index:
            group = label or part
            label = translate(ITEM, locale, group=group, num=int(part) + 1)
            group_label = label
        else:
            own = _title(nodes, locale) or part
            label = f"{group_label} › {own}" if group_label else own
    return label
