"""The order of a linked procedure's parts and the data each part receives.

`linked_after` (definition key, kept in `Procedure.extra`) maps a part's code to the codes of the
parts it needs first: `{"1.004222": ["1.001193"]}` = residence registration starts once birth
registration is done. Parts not named wait for nothing. Codes not in `linked_procedures` are
ignored. `linked_data` maps a part's code to `{its field: the parent's field}` for the fields
whose names differ; every other field is handed over under its own name.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def _extra(procedure: Any) -> dict[str, Any]:
    return getattr(procedure, "extra", None) or {}


def prerequisites(procedure: Any, code: str) -> list[str]:
    """The linked codes that must be done before the part `code` starts."""
    linked = [str(c) for c in getattr(procedure, "linked_procedures", None) or []]
    needed = (_extra(procedure).get("linked_after") or {}).get(code) or []
    return [c for c in needed if c in linked and c != code]


def ready_parts(procedure: Any, done: Iterable[str], started: Iterable[str] = ()) -> list[str]:
    """Codes of the parts that may start now: not started, everything they wait for done."""
    finished, begun = set(done), set(started)
    return [str(code) for code in getattr(procedure, "linked_procedures", None) or []
            if str(code) not in begun and str(code) not in finished
            and all(other in finished for other in prerequisites(procedure, str(code)))]


def part_data(procedure: Any, code: str, data: dict[str, Any] | None) -> dict[str, Any]:
    """The declaration handed to the part `code`: the parent's data, renamed where mapped."""
    out = dict(data or {})
    mapping = (_extra(procedure).get("linked_data") or {}).get(code) or {}
    for field, source in mapping.items():
        if source in (data or {}):
            out[field] = (data or {})[source]
        else:
            out.pop(field, None)
    return out
