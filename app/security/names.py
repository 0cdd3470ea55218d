"""How people's names are shown: Vietnamese order, family name first."""
from __future__ import annotations

from typing import Any


def full_name(user: Any) -> str:
    """'Nguyễn Văn An' from last_name='Nguyễn', first_name='Văn An'; '' for no user."""
    if user is None:
        return ""
    return " ".join(p for p in (user.last_name, user.first_name) if p).strip()
