"""Run jsonschema (the authority) and turn its errors into localized FieldErrors."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jsonschema import Draft202012Validator
from jsonschema._utils import equal
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.exceptions import NoSuchResource

from .errors import FieldError, pointer_join
from .formats import FORMAT_CHECKER
from .i18n import translate
from .messages import RANK, TOO_DEEP, UNCHECKABLE, field_message
from .titles import Description

MAX_DEPTH = 64
DescribeFn = Callable[[str, str], Description]


def _refuse(uri: str):
    """Retrieval hook of our registry: remote references are never fetched."""
    raise NoSuchResource(ref=uri)


NO_RETRIEVAL = Registry(retrieve=_refuse)


def make_validator(schema: object, registry: Registry = NO_RETRIEVAL) -> Draft202012Validator:
    """A draft 2020-12 validator with format assertion on and no remote retrieval."""
    return Draft202012Validator(schema, registry=registry, format_checker=FORMAT_CHECKER)


# Keywords that only annotate a schema: a `{"const": …, "title": …}` choice validates as its const.
ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default", "deprecated",
                         "readOnly", "writeOnly"})


def _const_choices(node: dict, key: str) -> list | None:
    """The values of a oneOf/anyOf made only of const choices, when `enum` means the same."""
    options = node.get(key)
    if "enum" in node or "const" in node or not isinstance(options, list) or not options:
        return None
    if not all(isinstance(o, dict) and "const" in o
               and all(k == "const" or k in ANNOTATIONS or k.startswith("x-") for k in o)
               for o in options):
        return None
    values = [o["const"] for o in options]
    if key == "oneOf" and any(equal(a, b) for i, a in enumerate(values) for b in values[i + 1:]):
        return None  # two equal choices: oneOf refuses the value, enum would take it
    return values


def _refs_into_choices(schema: object) -> bool:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ("/oneOf" in ref or "/anyOf" in ref):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def for_checking(schema: object) -> object:
    """The schema jsonschema runs: each oneOf/anyOf of const choices (a select of 50 ethnicities,
    250 nationalities) as the equivalent `enum`, which jsonschema checks by equality instead of
    validating every choice as a subschema (and, for oneOf, every other choice again). Errors
    stay the same: convert_error reports both as "enum". The form's own schema is unchanged."""
    if _refs_into_choices(schema):
        return schema  # a reference into a choice list must keep finding it

    def rewrite(node: object) -> object:
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {}
        for key, value in node.items():
            values = _const_choices(node, key) if key in ("oneOf", "anyOf") else None
            if values is not None:
                out["enum"] = values
            elif key in ("const", "enum", "default", "examples"):
                out[key] = value  # instances, not schemas
            else:
                out[key] = rewrite(value)
        return out

    return rewrite(schema)


def too_deep(instance: object, limit: int = MAX_DEPTH) -> bool:
    """Whether the instance nests containers deeper than limit (iterative, no recursion)."""
    stack = [(instance, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable = value.values()
        elif isinstance(value, list | tuple):
            children = value
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def run(validator: Draft202012Validator, instance: object, describe: DescribeFn, locale: str) -> list[FieldError]:
    """Validate and map jsonschema's errors to FieldErrors, one per field (the most useful); never raises."""
    if too_deep(instance):
        return [FieldError("", translate(TOO_DEEP, locale), "depth")]
    try:
        raw = list(validator.iter_errors(instance))
    except RecursionError:
        return [FieldError("", translate(TOO_DEEP, locale), "depth")]
    except Exception:  # noqa: BLE001 - an unresolvable $ref or a broken schema
        return [FieldError("", translate(UNCHECKABLE, locale), "schema")]
    best: dict[str, FieldError] = {}
    for error in raw:
        for item in convert_error(error, describe, locale):
            kept = best.get(item.path)
            if kept is None or _rank(item) < _rank(kept):
                best[item.path] = item  # a dict keeps the first position of each path
    return list(best.values())


def _rank(error: FieldError) -> int:
    return RANK.get(error.keyword, 8)


def convert_error(error: ValidationError, describe: DescribeFn, locale: str) -> list[FieldError]:
    """One jsonschema error → FieldErrors pointing at the field concerned."""
    pointer = pointer_join("", *error.absolute_path)
    keyword = "not" if error.validator is None else str(error.validator)  # None: a false schema
    value = error.validator_value
    if keyword in ("required", "dependentRequired"):
        names = value if isinstance(value, list) else []
        if keyword == "dependentRequired" and isinstance(value, dict):
            names = [n for deps in value.values() for n in deps]
        name = next((n for n in names if error.message.startswith(f"{n!r} ")), None)
        if name is not None:
            pointer = pointer_join(pointer, name)
    elif keyword == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}) or {})
        extras = [k for k in error.instance if k not in known]
        return [_field_error(p, keyword, None, describe, locale)
                for p in [pointer_join(pointer, k) for k in extras] or [pointer]]
    elif keyword in ("anyOf", "oneOf") and _all_consts(value):
        keyword = "enum"
    elif keyword in ("minLength", "maxLength", "minItems", "maxItems"):
        value = int(value)
    return [_field_error(pointer, keyword, value, describe, locale)]


def _field_error(pointer: str, keyword: str, value: object, describe: DescribeFn, locale: str) -> FieldError:
    about = describe(pointer, locale)
    message = field_message(keyword, about.label, locale, value, kind=about.kind, example=about.example)
    if about.kind == "pledge" and keyword in ("const", "type", "enum"):
        keyword = "pledge"
    return FieldError(pointer, message, keyword, about.label, about.section)


def _all_consts(value: object) -> bool:
    """Whether an anyOf/oneOf list is a list of const choices."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and "const" in v for v in value
    )
