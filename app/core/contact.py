"""Contact details every form agrees on: a Vietnamese mobile number and an email address."""
from __future__ import annotations

import re

# Mobile: 0 + 9 digits, or +84 + 9 digits (landlines are a form-engine format, vn-phone).
MOBILE_PHONE_RE = r"^(0\d{9}|\+84\d{9})$"
# Syntax only: whether the mailbox exists is the outbox's to find out.
EMAIL_RE = r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$"
_MOBILE_PHONE = re.compile(MOBILE_PHONE_RE)
_EMAIL = re.compile(EMAIL_RE)


def normalize_phone(value: str) -> str:
    """The number without the spaces, dots, dashes and brackets people type."""
    return re.sub(r"[\s.\-()]", "", value or "")


def is_mobile_phone(value: str) -> bool:
    return bool(_MOBILE_PHONE.match(value or ""))


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value or ""))
