"""Our own localized error messages, one per JSON Schema keyword (English msgids)."""

from __future__ import annotations

from .i18n import ntranslate, translate


def _(msgid: str) -> str:
    """Mark an English msgid for extraction; it is translated later for a given locale."""
    return msgid


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural msgid pair for extraction."""
    return singular, plural


REQUIRED = _("%(field)s: is required")
GENERIC = _("%(field)s: is not valid")
CHOICE = _("%(field)s: is not one of the allowed choices")
TYPE = {
    "string": _("%(field)s: must be text"),
    "integer": _("%(field)s: must be a whole number"),
    "number": _("%(field)s: must be a number"),
    "boolean": _("%(field)s: must be yes or no"),
    "array": _("%(field)s: must be a list"),
    "object": _("%(field)s: must be a group of fields"),
    "null": _("%(field)s: must be empty"),
}
FORMAT = {
    "date": _("%(field)s: must be a valid date"),
    "date-time": _("%(field)s: must be a valid date and time"),
    "email": _("%(field)s: must be a valid email address"),
    "vn-phone": _("%(field)s: must be a valid Vietnamese phone number"),
    "vn-mobile": _("%(field)s: must be a valid Vietnamese phone number"),
    "vn-citizen-id": _("%(field)s: must be a valid 12-digit personal identification number"),
    "vn-unit": _("%(field)s: must be an existing administrative unit"),
}
SIMPLE = {
    "pattern": _("%(field)s: is not in the expected format"),
    "format": _("%(field)s: is not in the expected format"),
    "enum": CHOICE,
    "const": _("%(field)s: has a value that is not allowed"),
    "additionalProperties": _("%(field)s: is not a field of this form"),
    "uniqueItems": _("%(field)s: must not contain the same item twice"),
    "not": _("%(field)s: has a value that is not allowed here"),
    "anyOf": _("%(field)s: does not match any allowed option"),
    "oneOf": _("%(field)s: does not match exactly one allowed option"),
    "minimum": _("%(field)s: must be at least %(limit)s"),
    "maximum": _("%(field)s: must be at most %(limit)s"),
    "exclusiveMinimum": _("%(field)s: must be greater than %(limit)s"),
    "exclusiveMaximum": _("%(field)s: must be less than %(limit)s"),
    "multipleOf": _("%(field)s: must be a multiple of %(limit)s"),
}
COUNTED = {
    "minLength": ngettext(
        "%(field)s: must be at least %(num)d character long",
        "%(field)s: must be at least %(num)d characters long",
    ),
    "maxLength": ngettext(
        "%(field)s: must be at most %(num)d character long",
        "%(field)s: must be at most %(num)d characters long",
    ),
    "minItems": ngettext(
        "%(field)s: must have at least %(num)d item",
        "%(field)s: must have at least %(num)d items",
    ),
    "maxItems": ngettext(
        "%(field)s: must have at most %(num)d item",
        "%(field)s: must have at most %(num)d items",
    ),
}
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
}


def field_message(keyword: str, field: str, locale: str, value: object = None) -> str:
    """The localized message for a failed keyword on a field titled `field`."""
    if keyword == "type":
        expected = value if isinstance(value, str) else next(
            (t for t in (value or ()) if t != "null"), ""
        )
        msgid = TYPE.get(expected, GENERIC)
        return translate(msgid, locale, field=field)
    if keyword == "format":
        return translate(FORMAT.get(value, SIMPLE["format"]), locale, field=field)
    if keyword in ("required", "dependentRequired"):
        return translate(REQUIRED, locale, field=field)
    if keyword in COUNTED:
        singular, plural = COUNTED[keyword]
        return ntranslate(singular, plural, int(value), locale, field=field)
    if keyword in SIMPLE:
        return translate(SIMPLE[keyword], locale, field=field, limit=_number(value, locale))
    return translate(GENERIC, locale, field=field)


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
