"""Static checks of a form schema: meta-schema, keywords, formats and references."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from .errors import Problem, pointer_join, pointer_parts
from .formats import SUPPORTED_FORMATS

SUPPORTED_KEYWORDS = {
    "$schema", "$id", "$comment", "$defs", "$ref", "type", "title", "description", "default",
    "examples", "enum", "const", "oneOf", "anyOf", "allOf", "not", "required", "properties",
    "additionalProperties", "items", "minItems", "maxItems", "uniqueItems", "minLength", "maxLength",
    "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "format",
    "if", "then", "else", "dependentRequired", "dependentSchemas", "readOnly", "x-i18n", "x-prefill",
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
        message = error.message if len(error.message) < 160 else error.message[:157] + "..."
        out.append(Problem("schema", pointer_join("", *error.absolute_path), f"invalid JSON Schema: {message}"))
    return out


def keyword_problems(root: dict) -> list[Problem]:
    """Unsupported keywords and formats, remote or dangling $ref, nested $id."""
    out: list[Problem] = []
    if isinstance(root, dict) and "$schema" in root and root["$schema"].rstrip("#") != DRAFT:
        out.append(Problem("schema", "/$schema", f"only draft 2020-12 ({DRAFT}) is supported"))
    stack: list[tuple[object, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            where = pointer_join(pointer, key)
            if key not in SUPPORTED_KEYWORDS:
                out.append(Problem("schema", where, f"unsupported keyword {key!r}"))
            elif key == "$ref":
                out += _ref_problem(root, value, where)
            elif key == "$id" and pointer:
                out.append(Problem("schema", where, "$id is only supported at the root"))
            elif key == "format" and value not in SUPPORTED_FORMATS:
                out.append(Problem("schema", where, f"unsupported format {value!r}; use one of {list(SUPPORTED_FORMATS)}"))
            elif key in ("oneOf", "anyOf") and not _all_consts(value):
                out.append(Problem("schema", where, f"{key} is supported only as a list of const choices"))
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
        return [Problem("schema", where, f"remote $ref {ref!r} is not supported (references are never fetched)")]
    target: object = root
    for part in pointer_parts(ref[1:]):
        if isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return [Problem("schema", where, f"$ref {ref!r} points to nothing")]
    if ref in ("#", "#/"):
        return [Problem("schema", where, "a $ref to the whole schema (recursion) is not supported")]
    return []


def _all_consts(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "const" in v for v in value)
