"""Static checks of a form schema: meta-schema, keywords, formats and references."""

from __future__ import annotations

import re

from jsonschema import Draft202012Validator

from . import problems as P
from .errors import Problem, pointer_join, pointer_parts
from .formats import SUPPORTED_FORMATS

# The one syntax of a property name, wherever a schema comes from (editor, import, builder): it becomes
# part of HTML names and ids, JSON pointers and dotted form names.
PROPERTY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")

SUPPORTED_KEYWORDS = {
    "$schema", "$id", "$comment", "$defs", "$ref", "type", "title", "description", "default",
    "examples", "enum", "const", "oneOf", "anyOf", "allOf", "not", "required", "properties",
    "additionalProperties", "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength",
    "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format",
    "if", "then", "else", "dependentRequired", "dependentSchemas", "readOnly", "x-i18n", "x-prefill",
    "x-optional",
}
DRAFT = "https://json-schema.org/draft/2020-12/schema"
_MAPS = ("properties", "$defs", "dependentSchemas")
_LISTS = ("allOf", "anyOf", "oneOf")
_SINGLE = ("items", "if", "then", "else", "not", "additionalProperties")
_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)


def meta_problems(schema: object) -> list[Problem]:
    """Every violation of the draft 2020-12 meta-schema, each with its pointer."""
    out = []
    for error in _META.iter_errors(schema):
        msgid, params = P.meta_problem(error)
        out.append(Problem("schema", pointer_join("", *error.absolute_path), msgid, params))
    return sorted(out, key=lambda p: p.pointer)  # jsonschema's order varies between runs


def is_property_name(name: object) -> bool:
    """Whether a property name has the allowed syntax (PROPERTY_NAME)."""
    return isinstance(name, str) and PROPERTY_NAME.fullmatch(name) is not None


def keyword_problems(root: dict) -> list[Problem]:
    """Unsupported keywords and formats, bad property names and patterns, remote or dangling $ref, nested $id."""
    out: list[Problem] = []
    if isinstance(root, dict) and "$schema" in root and root["$schema"].rstrip("#") != DRAFT:
        out.append(Problem("schema", "/$schema", P.DRAFT_ONLY, {"draft": DRAFT}))
    stack: list[tuple[object, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            where = pointer_join(pointer, key)
            if key not in SUPPORTED_KEYWORDS:
                out.append(Problem("schema", where, P.UNSUPPORTED_KEYWORD, {"key": P.quoted(key)}))
            elif key == "$ref":
                out += _ref_problem(root, value, where)
            elif key == "$id" and pointer:
                out.append(Problem("schema", where, P.NESTED_ID))
            elif key == "format" and value not in SUPPORTED_FORMATS:
                out.append(Problem("schema", where, P.UNSUPPORTED_FORMAT,
                                   {"value": P.quoted(value), "choices": ", ".join(SUPPORTED_FORMATS)}))
            elif key in ("oneOf", "anyOf") and not _all_consts(value):
                out.append(Problem("schema", where, P.CONSTS_ONLY, {"key": key}))
            elif key == "pattern" and isinstance(value, str) and not _is_regex(value):
                out.append(Problem("schema", where, P.BAD_PATTERN, {"value": P.quoted(value)}))
            elif key == "properties" and isinstance(value, dict):
                out += [Problem("schema", pointer_join(where, name), P.BAD_KEY, {"key": P.quoted(name)})
                        for name in value if not is_property_name(name)]
            if key in _MAPS and isinstance(value, dict):
                stack += [(sub, pointer_join(where, name)) for name, sub in value.items()]
            elif key in _LISTS and isinstance(value, list):
                stack += [(sub, pointer_join(where, i)) for i, sub in enumerate(value)]
            elif key in _SINGLE:
                stack.append((value, where))
    return sorted(out, key=lambda p: p.pointer)


def _ref_problem(root: dict, ref: object, where: str) -> list[Problem]:
    if not isinstance(ref, str):
        return []
    if not ref.startswith("#"):
        return [Problem("schema", where, P.REMOTE_REF, {"ref": P.quoted(ref)})]
    target: object = root
    for part in pointer_parts(ref[1:]):
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return [Problem("schema", where, P.DANGLING_REF, {"ref": P.quoted(ref)})]
    if ref in ("#", "#/"):
        return [Problem("schema", where, P.RECURSIVE_REF)]
    return []


def _all_consts(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "const" in v for v in value)


def _is_regex(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
