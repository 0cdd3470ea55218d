"""Official lists the declaration forms choose from: the 54 ethnic groups and the nationalities.

The data and their sources are in `lists/` beside this module. A definition file carries each
list in its own `$defs` (`ethnic_group`, `nationality`), because the form engine resolves only
local `$ref`s and a shipped file must be complete on its own; `scripts/sync_form_lists.py` writes
the current lists into the files, and a test checks that no shipped file drifts from them.
"""
from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

LISTS_DIR = Path(__file__).resolve().parent / "lists"
VIET_NAM = "VN"  # the nationality code the "Vietnamese citizen" rules test
STATELESS = "XX"


@cache
def _load(name: str) -> dict[str, Any]:
    return json.loads((LISTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def ethnic_groups() -> list[dict[str, str]]:
    """The 54 groups in the list's order: [{"code": "01", "name": "Kinh"}, …]."""
    return list(_load("ethnic_groups")["groups"])


def nationalities() -> list[dict[str, str]]:
    """Việt Nam, then every ISO 3166-1 country in Vietnamese order, then stateless."""
    return list(_load("nationalities")["countries"])


def ethnic_group_schema() -> dict[str, Any]:
    """The `$defs/ethnic_group` node: the names themselves are the values (papers print them)."""
    return {"type": "string", "title": "Dân tộc", "maxLength": 50,
            "enum": [group["name"] for group in ethnic_groups()],
            "x-i18n": {"en": {"title": "Ethnic group"}}}


def nationality_schema() -> dict[str, Any]:
    """The `$defs/nationality` node: ISO 3166-1 alpha-2 codes titled in Vietnamese and English."""
    return {"type": "string", "title": "Quốc tịch", "maxLength": 2,
            "oneOf": [{"const": row["code"], "title": row["vi"], "x-i18n": {"en": {"title": row["en"]}}}
                      for row in nationalities()],
            "x-i18n": {"en": {"title": "Nationality"}}}


LIST_DEFS = {"ethnic_group": ethnic_group_schema, "nationality": nationality_schema}


def nationality_name(code: str, locale: str = "vi") -> str | None:
    """The name of a nationality code in Vietnamese (or English), None when unknown."""
    for row in nationalities():
        if row["code"] == code:
            return row["en" if locale == "en" else "vi"]
    return None


def with_current_lists(schema: dict[str, Any], names: tuple[str, ...] = ()) -> dict[str, Any]:
    """A copy of a form schema whose list `$defs` are the current lists.

    Lists already in `$defs` are refreshed; `names` adds lists the form does not carry yet.
    """
    out = copy.deepcopy(schema)
    defs = out.setdefault("$defs", {})
    for name, build in LIST_DEFS.items():
        if name in defs or name in names:
            defs[name] = build()
    return out


def stale_lists(schema: dict[str, Any]) -> list[str]:
    """The list `$defs` of a form schema that differ from the current lists."""
    defs = schema.get("$defs") or {}
    return [name for name, build in LIST_DEFS.items() if name in defs and defs[name] != build()]
