"""Our own localized error messages, one per JSON Schema keyword (English msgids)."""

from __future__ import annotations

import json

from .i18n import ntranslate, translate


def _(msgid: str) -> str:
    """Mark an English msgid for extraction; it is translated later for a given locale."""
    return msgid


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural msgid pair for extraction."""
    return singular, plural


# Each message says what to do; the field's own label comes first (the summary adds its section).
REQUIRED = {
    "text": _("%(field)s: enter this information"),
    "date": _("%(field)s: enter the date"),
    "choice": _("%(field)s: choose one of the options"),
    "yes_no": _("%(field)s: choose Yes or No"),
    "many": _("%(field)s: choose at least one option"),
    "list": _("%(field)s: add at least one item"),
    "group": _("%(field)s: fill in this section"),
    "pledge": _("%(field)s: tick this box to confirm"),
}
PLEDGE = REQUIRED["pledge"]
GENERIC = _("%(field)s: check this information")
CHOICE = _("%(field)s: choose one of the options in the list")
TYPE = {
    "string": _("%(field)s: enter text"),
    "integer": _("%(field)s: enter a whole number, such as 2"),
    "number": _("%(field)s: enter a number, such as 2 or 1.5"),
    "boolean": _("%(field)s: choose Yes or No"),
    "array": _("%(field)s: give a list"),
    "object": _("%(field)s: fill in this section"),
    "null": _("%(field)s: leave this empty"),
}
FORMAT = {
    "date": _("%(field)s: enter a real date as day/month/year"),
    "date-time": _("%(field)s: enter a real date and time"),
    "email": _("%(field)s: enter an email address such as ten@example.vn"),
    "vn-phone": _("%(field)s: enter a Vietnamese phone number: 10 digits starting with 0 (landlines 11), "
                  "or +84 and the number without its first 0"),
    "vn-mobile": _("%(field)s: enter a Vietnamese mobile number: 10 digits starting with 0, or +84 and 9 digits"),
    "vn-citizen-id": _("%(field)s: enter all 12 digits, as on the citizen ID card"),
    "vn-unit": _("%(field)s: choose the province and then the commune or ward from the lists"),
}
WITH_EXAMPLE = _("%(field)s: use the expected format, for example %(example)s")
SIMPLE = {
    "pattern": _("%(field)s: check the format of what you entered"),
    "format": _("%(field)s: check the format of what you entered"),
    "enum": CHOICE,
    "const": _("%(field)s: the only accepted value is %(limit)s"),
    "additionalProperties": _("%(field)s: remove this, it is not part of the form"),
    "uniqueItems": _("%(field)s: remove the items given twice"),
    "not": _("%(field)s: change this value, it is not accepted here"),
    "anyOf": _("%(field)s: choose one of the allowed options"),
    "oneOf": _("%(field)s: choose one of the allowed options"),
    "minimum": _("%(field)s: enter a number of at least %(limit)s"),
    "maximum": _("%(field)s: enter a number of at most %(limit)s"),
    "exclusiveMinimum": _("%(field)s: enter a number greater than %(limit)s"),
    "exclusiveMaximum": _("%(field)s: enter a number less than %(limit)s"),
    "multipleOf": _("%(field)s: enter a multiple of %(limit)s"),
}
COUNTED = {
    "minLength": ngettext(
        "%(field)s: enter at least %(num)d character",
        "%(field)s: enter at least %(num)d characters",
    ),
    "maxLength": ngettext(
        "%(field)s: enter at most %(num)d character",
        "%(field)s: enter at most %(num)d characters",
    ),
    "minItems": ngettext(
        "%(field)s: add at least %(num)d item",
        "%(field)s: add at least %(num)d items",
    ),
    "maxItems": ngettext(
        "%(field)s: keep at most %(num)d item",
        "%(field)s: keep at most %(num)d items",
    ),
}
# When one field fails several keywords (an 11-digit ID fails pattern, length and format), the
# message of the most useful one is kept: lower rank wins.
RANK = {"required": 0, "dependentRequired": 0, "pledge": 0, "type": 1, "format": 2, "enum": 3, "const": 3,
        "anyOf": 3, "oneOf": 3, "minLength": 4, "maxLength": 4, "minItems": 4, "maxItems": 4, "minimum": 4,
        "maximum": 4, "exclusiveMinimum": 4, "exclusiveMaximum": 4, "multipleOf": 4, "pattern": 5,
        "uniqueItems": 5, "additionalProperties": 6, "not": 7}
TOO_DEEP = _("The submitted data is nested too deeply to be checked")
UNCHECKABLE = _("The submitted data could not be checked against the form definition")
FORM = _("Form")
ITEM = _("%(group)s, item %(num)d")

# Texts of the rendered form.
UI = {
    "summary": _("Please correct the following errors"),
    "choose": _("— Choose —"),
    "yes": _("Yes"),
    "no": _("No"),
    "add": _("Add another"),
    "remove": _("Remove"),
    "item": _("Item %(num)s"),
    "required": _("required"),
    "empty": _("(not provided)"),
    "province": _("Province or city"),
    "commune": _("Commune or ward"),
    "show_communes": _("Show its communes and wards"),
    "search_unit": _("Search by name"),
    "optional_group": _("Leave this whole section empty if it does not apply; if you fill it in, "
                        "the fields marked * are needed."),
}


def field_message(keyword: str, field: str, locale: str, value: object = None, *,
                  kind: str = "text", example: str | None = None) -> str:
    """The localized message for a failed keyword on a field titled `field` (of a given kind)."""
    if kind == "pledge" and keyword in ("required", "dependentRequired", "const", "type", "enum"):
        return translate(PLEDGE, locale, field=field)
    if keyword == "type":
        expected = value if isinstance(value, str) else next(
            (t for t in (value or ()) if t != "null"), ""
        )
        msgid = TYPE.get(expected, GENERIC)
        return translate(msgid, locale, field=field)
    if keyword == "format":
        return translate(FORMAT.get(value, SIMPLE["format"]), locale, field=field)
    if keyword == "pattern" and example:
        return translate(WITH_EXAMPLE, locale, field=field, example=example)
    if keyword in ("required", "dependentRequired"):
        return translate(REQUIRED.get(kind, REQUIRED["text"]), locale, field=field)
    if keyword in COUNTED:
        singular, plural = COUNTED[keyword]
        return ntranslate(singular, plural, int(value), locale, field=field)
    if keyword in SIMPLE:
        limit = _json_value(value) if keyword == "const" else _number(value, locale)
        return translate(SIMPLE[keyword], locale, field=field, limit=limit)
    return translate(GENERIC, locale, field=field)


def _json_value(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def ui_text(key: str, locale: str, **params: object) -> str:
    """A localized text of the rendered form (buttons, headings)."""
    return translate(UI[key], locale, **params)


def _number(value: object, locale: str) -> str:
    """Format a limit the way the locale writes numbers (1.000 vs 1,000)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}"
    if locale == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
