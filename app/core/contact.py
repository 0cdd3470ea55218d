"""Phone numbers, email addresses and citizen ID numbers: one definition for accounts, filing, staff and forms."""
from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import PhoneNumberType

# The shapes people are asked for; phonenumbers then says whether the number can exist in Vietnam.
# Mobile: 0 + 9 digits, or +84 + 9 digits. Landline: 0 + 10 digits (02x area codes), or +84 + 10 digits.
_MOBILE_SHAPE = re.compile(r"0[1-9]\d{8}|\+84[1-9]\d{8}")
_PHONE_SHAPE = re.compile(r"0[1-9]\d{8,9}|\+84[1-9]\d{8,9}")
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_PHONE_TYPES = _MOBILE_TYPES | {PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP}
_CITIZEN_ID = re.compile(r"\d{12}", re.ASCII)
MAX_EMAIL_LENGTH = 254


def normalize_phone(value: str) -> str:
    """The number without the spaces, dots, dashes and brackets people type."""
    return re.sub(r"[\s.\-()]", "", value or "")


def _number_type(value: str, shape: re.Pattern) -> int | None:
    if not isinstance(value, str) or shape.fullmatch(value) is None:
        return None
    number = phonenumbers.parse(value, "VN")
    if not phonenumbers.is_valid_number_for_region(number, "VN"):
        return None
    return phonenumbers.number_type(number)


def is_mobile_phone(value: str) -> bool:
    """A Vietnamese mobile number: 10 digits starting with 0, or +84 and 9 digits, on a mobile prefix."""
    return _number_type(value, _MOBILE_SHAPE) in _MOBILE_TYPES


def is_phone(value: str) -> bool:
    """A Vietnamese mobile or landline number (landlines: 0 + 10 digits, or +84 + 10 digits)."""
    return _number_type(value, _PHONE_SHAPE) in _PHONE_TYPES


def is_email(value: str) -> bool:
    """A syntactically valid address (no DNS look-up: whether the mailbox exists is the outbox's to find out).

    The reserved .test domain is accepted (test and demo data); other special-use names (.local,
    .localhost, .invalid) and addresses without a dotted domain are refused.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_EMAIL_LENGTH or value != value.strip():
        return False
    try:
        validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


def is_citizen_id(value: str) -> bool:
    """A personal identification number: 12 digits, province code 001–096, century/sex digit 0–3 (born 1900–2099)."""
    if not isinstance(value, str) or _CITIZEN_ID.fullmatch(value) is None:
        return False
    return 1 <= int(value[:3]) <= 96 and value[3] in "0123"
