"""Format checkers: the standard ones we assert plus Vietnamese custom formats.

Phone, email and citizen ID are app.core.contact's rules, so accounts, filing, staff and forms agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from jsonschema import FormatChecker

from app.core import contact

_DATE_TIME = re.compile(
    r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)", re.ASCII
)
_DEFAULT_UNIT = re.compile(r"\d{2}|\d{5}")

UnitResolver = Callable[[str], bool]
UnitNamer = Callable[[str], "str | None"]
UnitLister = Callable[["str | None"], Sequence[tuple[str, str]]]
UnitParent = Callable[[str], "str | None"]
_unit_resolver: UnitResolver | None = None
_unit_namer: UnitNamer | None = None
_unit_lister: UnitLister | None = None
_unit_parent: UnitParent | None = None

SUPPORTED_FORMATS = ("date", "date-time", "email", "vn-phone", "vn-mobile", "vn-citizen-id", "vn-unit")


def set_unit_resolver(fn: UnitResolver | None) -> None:
    """Install the function telling whether a unit code exists and is active (None resets)."""
    global _unit_resolver
    _unit_resolver = fn


def set_unit_namer(fn: UnitNamer | None) -> None:
    """Install the function giving a unit's display name for read-only views (None resets)."""
    global _unit_namer
    _unit_namer = fn


def unit_name(code: str) -> str | None:
    """The display name of a unit code, when a namer is installed."""
    return _unit_namer(code) if _unit_namer else None


def set_unit_lister(children: UnitLister | None, parent: UnitParent | None = None) -> None:
    """Install the unit directory of the vn-unit picker (None resets to a plain code input).

    `children(None)` lists the provinces and `children(code)` the active units under one, as
    (code, name) pairs in display order; `parent(code)` gives a unit's parent code (None at the top).
    """
    global _unit_lister, _unit_parent
    _unit_lister, _unit_parent = children, parent


def has_unit_lister() -> bool:
    """Whether the vn-unit picker can list units (else the field is a code input)."""
    return _unit_lister is not None


def unit_children(parent: str | None) -> list[tuple[str, str]]:
    """(code, name) of the provinces (parent None) or of the units under a parent."""
    return list(_unit_lister(parent)) if _unit_lister else []


def unit_parent(code: str) -> str | None:
    """The parent code of a unit, when known."""
    return _unit_parent(code) if _unit_parent else None


def is_vn_phone(value: object) -> bool:
    """A Vietnamese mobile or landline number (app.core.contact.is_phone)."""
    return contact.is_phone(value) if isinstance(value, str) else True


def is_vn_mobile(value: object) -> bool:
    """A Vietnamese mobile number (app.core.contact.is_mobile_phone)."""
    return contact.is_mobile_phone(value) if isinstance(value, str) else True


def is_vn_citizen_id(value: object) -> bool:
    """12 digits: province 001–096, century/sex digit 0–3 (app.core.contact.is_citizen_id)."""
    return contact.is_citizen_id(value) if isinstance(value, str) else True


def is_vn_unit(value: object) -> bool:
    """An existing, active administrative unit code (resolver), else 2 or 5 digits."""
    if not isinstance(value, str):
        return True
    if _unit_resolver is not None:
        return bool(_unit_resolver(value))
    return value.isascii() and _DEFAULT_UNIT.fullmatch(value) is not None


def is_date(value: object) -> bool:
    """RFC 3339 full-date (YYYY-MM-DD)."""
    if not isinstance(value, str):
        return True
    if len(value) != 10 or not value.isascii():
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time(value: object) -> bool:
    """RFC 3339 date-time with a zone (seconds 60 tolerated as a leap second)."""
    if not isinstance(value, str):
        return True
    if _DATE_TIME.fullmatch(value) is None:
        return False
    text = value.upper().replace("Z", "+00:00")
    if text[17:19] == "60":  # leap second: datetime cannot represent it
        text = text[:17] + "59" + text[19:]
    try:
        dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return False
    return True


def is_email(value: object) -> bool:
    """An address email-validator accepts, without DNS (app.core.contact.is_email)."""
    return contact.is_email(value) if isinstance(value, str) else True


def build_format_checker() -> FormatChecker:
    """A FormatChecker with jsonschema's built-ins plus ours (ours win on overlap)."""
    checker = FormatChecker()
    for name, fn in (
        ("date", is_date),
        ("date-time", is_date_time),
        ("email", is_email),
        ("vn-phone", is_vn_phone),
        ("vn-mobile", is_vn_mobile),
        ("vn-citizen-id", is_vn_citizen_id),
        ("vn-unit", is_vn_unit),
    ):
        checker.checks(name)(fn)
    return checker


FORMAT_CHECKER = build_format_checker()
