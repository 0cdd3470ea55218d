"""Differences between two procedure versions, for reading rather than patching."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "same", "hunk"
    text: str


def pretty(value: Any) -> list[str]:
    """Stable, indented JSON lines so that a diff shows one change per line."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).splitlines()


def _form(version: Any) -> dict[str, Any]:
    if version is None:
        return {}
    return {"schema": version.schema, "ui_schema": version.ui_schema or {},
            "required_documents": version.required_documents or []}


def version_diff(old: Any, new: Any, context: int = 3) -> list[DiffLine]:
    """Unified diff of two versions' forms (schema, UI schema, documents); old may be None."""
    lines = []
    for raw in difflib.unified_diff(pretty(_form(old)), pretty(_form(new)),
                                    f"v{old.number}" if old else "", f"v{new.number}",
                                    n=context, lineterm=""):
        if raw.startswith(("---", "+++")):
            continue
        kind = {"@": "hunk", "+": "add", "-": "remove"}.get(raw[:1], "same")
        lines.append(DiffLine(kind, raw[1:] if kind != "hunk" else raw))
    return lines
