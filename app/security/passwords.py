"""Password policy shared by registration, reset and FAB's user forms."""
from __future__ import annotations

import re

from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _

MIN_LENGTH = 10


def password_problems(password: str) -> list[str]:
    """What the password lacks; an empty list means it is acceptable."""
    problems = []
    if len(password or "") < MIN_LENGTH:
        problems.append(_("at least %(n)d characters", n=MIN_LENGTH))
    if not re.search(r"[a-zà-ỹđ]", password or ""):
        problems.append(_("a lower-case letter"))
    if not re.search(r"[A-ZÀ-ỸĐ]", password or ""):
        problems.append(_("an upper-case letter"))
    if not re.search(r"\d", password or ""):
        problems.append(_("a digit"))
    if not re.search(r"[^\w\s]", password or ""):
        problems.append(_("a symbol such as @ # !"))
    return problems


def validate_password(password: str) -> None:
    """FAB's password-complexity hook: raise with a localized message."""
    problems = password_problems(password)
    if problems:
        raise PasswordComplexityValidationError(
            _("The password needs %(what)s.", what=", ".join(problems))
        )
