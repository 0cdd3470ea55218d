"""How people's names are shown: Vietnamese order, family name first."""
from __future__ import annotations

from typing import Any


def full_name(user: Any) -> str:
    """'Nguyễn Văn An' from last_name='Nguyễn', first_name='Văn An'; '' for no user."""
    if user is None:
        return ""
    return " ".join(p for p in (user.last_name, user.first_name) if p).strip()


def masked_name(name: str | None) -> str:
    """What the public log shows of a person: 'Nguyễn V. A.' for 'Nguyễn Văn An'."""
    words = (name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return f"{words[0][0].upper()}."
    return " ".join([words[0], *(f"{w[0].upper()}." for w in words[1:])])
