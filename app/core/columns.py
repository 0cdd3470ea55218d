"""How the administration's lists (FAB `formatters_columns`) show stored values: words, not
`True`, `None` or codes; times in Vietnam's time without seconds."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _

from app.core.templating import vndate

DASH = "—"


def yes_no(value: Any) -> str:
    if value is None:
        return DASH
    return _("Yes") if value else _("No")


def moment(value: Any) -> str:
    """A stored (UTC) time as local "dd/mm/yyyy HH:MM"."""
    return vndate(value, with_time=True) if value else DASH


def server_moment(value: Any) -> str:
    """A naive time FAB stamps in the server's local time (a user's last login, creation)."""
    if not value:
        return DASH
    if value.tzinfo is None:
        value = value.astimezone()  # naive = the server's local time
    return vndate(value.astimezone(dt.timezone.utc), with_time=True)


def day(value: Any) -> str:
    return vndate(value) if value else DASH


def or_dash(value: Any) -> str:
    return DASH if value is None or value == "" else str(value)


def money(value: Any) -> str:
    """10.000 (VND), as Vietnamese write amounts."""
    return DASH if value is None else f"{int(value):,}".replace(",", ".")


def labelled(labels: Mapping[str, Any]) -> Callable[[Any], str]:
    """A formatter naming codes by a table of (lazy) labels; unknown codes as they are."""
    def label(value: Any) -> str:
        return DASH if value in (None, "") else str(labels.get(value, value))
    return label


def person(user: Any) -> str:
    """A user as Vietnamese write names: family name first ("Lê Thị Hoa (officer)")."""
    if user is None:
        return DASH
    name = " ".join(p for p in (user.last_name, user.first_name) if p)
    return f"{name} ({user.username})" if name else user.username
