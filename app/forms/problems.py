"""Texts of the problems found in a form definition (English msgids, translated per locale)."""

from __future__ import annotations

import json

from .i18n import resolve_locale, translate
from .messages import _

# The meta-schema (draft 2020-12) refuses the definition: building the form is pointless.
META_PREFIX = "invalid JSON Schema"
META_TYPE = _("invalid JSON Schema: must be %(expected)s")
META_UNKNOWN_TYPE = _("invalid JSON Schema: unknown type %(value)s; use string, number, integer, boolean, "
                      "object, array or null")
META_MINIMUM = _("invalid JSON Schema: must be at least %(limit)s")
META_ABOVE = _("invalid JSON Schema: must be greater than %(limit)s")
META_NONEMPTY = _("invalid JSON Schema: must not be empty")
META_UNIQUE = _("invalid JSON Schema: lists the same value twice")
META_CHOICE = _("invalid JSON Schema: must be one of %(choices)s")
META_OTHER = _("invalid JSON Schema: %(detail)s")
TYPE_NAMES = {
    "object": _("an object ({…})"),
    "array": _("a list ([…])"),
    "string": _("text in double quotes"),
    "integer": _("a whole number"),
    "number": _("a number"),
    "boolean": _("true/false"),
    "null": _("null"),
}
OR = _("%(first)s or %(second)s")

# Our own rules (checks.py, build.py, fields/).
NOT_AN_OBJECT = _("the schema must be a JSON object")
UI_NOT_AN_OBJECT = _("the UI schema must be a JSON object")
DRAFT_ONLY = _("only draft 2020-12 (%(draft)s) is supported")
BAD_KEY = _("the property name %(key)s is not allowed: use up to 64 letters (a–z, A–Z), digits and _, "
            "starting with a letter or _")
BAD_PATTERN = _("the pattern %(value)s is not a valid regular expression")
UNSUPPORTED_KEYWORD = _("unsupported keyword %(key)s")
NESTED_ID = _("$id is only supported at the root")
UNSUPPORTED_FORMAT = _("unsupported format %(value)s; use one of %(choices)s")
CONSTS_ONLY = _("%(key)s is supported only as a list of const choices")
REMOTE_REF = _("remote $ref %(ref)s is not supported (references are never fetched)")
DANGLING_REF = _("$ref %(ref)s points to nothing")
RECURSIVE_REF = _("a $ref to the whole schema (recursion) is not supported")
ROOT_NOT_OBJECT = _("the form schema must be of type object")
TOO_DEEP = _("the schema nests too deeply (recursive $ref?)")
UI_ENTRY = _("a UI schema entry must be an object")
BAD_WIDGET = _("unsupported widget %(widget)s for a %(type)s field")
BAD_PREFILL = _("unknown x-prefill %(value)s; use one of %(choices)s")
NO_TYPE = _('cannot tell the field type: add "type"')
NO_ITEMS = _('an array field needs an "items" schema')
UNDEFINED_REQUIRED = _("required property %(name)s is not defined in properties")
CONDITION_ON_NOTHING = _("condition on %(name)s, which is not a property")
ADDITIONAL_SCHEMA = _("only true or false is supported")
UI_NOT_A_PROPERTY = _("%(key)s is not a property of this object")
ORDER_NOT_A_LIST = _("ui:order must be a list of property names")
ORDER_UNKNOWN = _("ui:order names %(name)s, which is not a property")
ORDER_INCOMPLETE = _('ui:order lacks %(names)s and has no "*"')
UNSUPPORTED_UI = _("unsupported UI keyword %(key)s")
OPTIONS_NOT_OBJECT = _("ui:options must be an object")
UNSUPPORTED_OPTION = _("unsupported ui:options entry %(key)s")
TITLE_COUNT = _("%(where)s must list one title per enum value (%(count)s)")
CHOICE_TITLE = _("choice %(value)s needs a title: use ui:enumNames, x-i18n enumNames or oneOf/const with title")
UNTICKED_REQUIRED = _('a required tick box is satisfied by an unticked box: add "const": true to make it a '
                      'pledge that must be ticked, or ask yes or no with "ui:widget": "radio"')
PLEDGE_NOT_REQUIRED = _('a pledge ("const": true) must be listed in "required"')
GROUP_IMPLIED = _('this group has required fields but is not itself required, so it is treated as required; '
                  'list it in "required", or add "x-optional": true if the citizen may leave it all empty')

# JSON syntax errors (the json module's messages → what to fix).
JSON_SYNTAX = _("JSON syntax error at line %(line)d, column %(col)d: %(what)s")
JSON_REASONS = {
    "Expecting value": _("a value is missing or is not valid JSON"),
    "Expecting property name enclosed in double quotes": _("a property name must be in double quotes "
                                                           "(or there is a comma too many)"),
    "Expecting ',' delimiter": _("a comma is missing"),
    "Expecting ':' delimiter": _("a colon is missing after a property name"),
    "Extra data": _("there is text after the end of the JSON document"),
    "Unterminated string starting at": _("a text is not closed with a double quote"),
    "Invalid control character at": _("a text contains a line break or tab: write \\n or \\t"),
    "Invalid \\escape": _("a backslash must be written \\\\"),
    "Invalid \\uXXXX escape": _("a \\u escape needs four hexadecimal digits"),
    "Illegal trailing comma before end of object": _("remove the comma before }"),
    "Illegal trailing comma before end of array": _("remove the comma before ]"),
}


def quoted(value: object) -> str:
    """A value as it appears in a problem text: 'text', 12, ['a', 'b']."""
    return repr(value)


def type_names(expected: object, locale: str) -> str:
    """'an object or true or false' for ["object", "boolean"], localized."""
    kinds = expected if isinstance(expected, list) else [expected]
    names = [translate(TYPE_NAMES[k], locale) if k in TYPE_NAMES else str(k) for k in kinds]
    text = names[0] if names else ""
    for name in names[1:]:
        text = translate(OR, locale, first=text, second=name)
    return text


def meta_problem(error) -> tuple[str, dict]:
    """(msgid, params) for one meta-schema violation (a jsonschema ValidationError)."""
    keyword, value = error.validator, error.validator_value
    where = error.absolute_path[-1] if error.absolute_path else None
    if keyword == "type":
        return META_TYPE, {"expected": ("type", value)}
    if keyword == "anyOf" and where == "type":
        return META_UNKNOWN_TYPE, {"value": quoted(error.instance)}
    if keyword == "minimum":
        return META_MINIMUM, {"limit": value}
    if keyword == "exclusiveMinimum":
        return META_ABOVE, {"limit": value}
    if keyword == "minItems":
        return META_NONEMPTY, {}
    if keyword == "uniqueItems":
        return META_UNIQUE, {}
    if keyword == "enum":
        return META_CHOICE, {"choices": ", ".join(quoted(v) for v in value)}
    detail = error.message if len(error.message) < 160 else error.message[:157] + "..."
    return META_OTHER, {"detail": detail}


def render_params(params: dict, locale: str) -> dict:
    """Parameters that need the locale themselves (type names) are rendered in it."""
    out = {}
    for key, value in params.items():
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "type":
            value = type_names(value[1], locale)
        out[key] = value
    return out


def json_syntax_message(exc: json.JSONDecodeError, locale: str | None = None) -> str:
    """Where a JSON text is broken (line, column) and what to fix, in the locale."""
    locale = resolve_locale(locale)
    reason = JSON_REASONS.get(exc.msg)
    what = translate(reason, locale) if reason else exc.msg
    return translate(JSON_SYNTAX, locale, line=exc.lineno, col=exc.colno, what=what)


def parse_json(text: str, locale: str | None = None) -> tuple[object, str | None]:
    """(value, None) for valid JSON text, else (None, the localized syntax message)."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, json_syntax_message(exc, locale)
