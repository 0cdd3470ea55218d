"""Conditional fields: server-side pruning and client-side show/hide hints."""

from __future__ import annotations

from typing import Any

from .fields.base import MISSING, Field
from .fields.group import ObjectField, RepeatField
from .structure import Branch, ObjectView
from .titles import resolve_ref

_IGNORED = {"title", "description", "$comment", "x-i18n"}


def _simple_tests(root: dict, test: object) -> list[dict] | None:
    """Tests of an "if" made only of const/enum checks on sibling properties, else None."""
    test = resolve_ref(root, test)
    if not isinstance(test, dict) or set(test) - _IGNORED - {"properties", "required"}:
        return None
    required = set(test.get("required") or ())
    tests = []
    for key, sub in (test.get("properties") or {}).items():
        sub = resolve_ref(root, sub)
        if not isinstance(sub, dict) or set(sub) - _IGNORED - {"const", "enum", "type"}:
            return None
        if "const" in sub:
            values = [sub["const"]]
        elif isinstance(sub.get("enum"), list):
            values = list(sub["enum"])
        else:
            return None
        tests.append({"name": key, "in": values, "absent": key not in required})
    tests += [{"name": key, "present": True} for key in required if key not in (test.get("properties") or {})]
    return tests or None


def client_clauses(root: dict, view: ObjectView, key: str) -> list[dict] | None:
    """JSON clauses forms.js evaluates to show a conditional field (None: always shown)."""
    clauses = []
    for branch in view.branches:
        if key not in branch.mentions:
            continue
        if branch.kind == "present":
            clauses.append({"all": [{"name": branch.key, "present": True}]})
            continue
        tests = _simple_tests(root, branch.test)
        if tests is None:
            return None
        clauses.append({"all": tests, "negate": branch.kind == "else"})
    return clauses or None


def branch_active(branch: Branch, value: dict, checkers: dict[int, Any]) -> bool:
    """Whether a branch applies to the object's current data."""
    if branch.kind == "present":
        return branch.key in value
    try:
        ok = checkers[id(branch)].is_valid(value)
    except Exception:  # noqa: BLE001 - a broken condition never keeps a field
        return False
    return ok if branch.kind == "then" else not ok


def _active_mentions(view: ObjectView, value: dict, checkers: dict[int, Any]) -> set[str]:
    active: set[str] = set()
    for branch in view.branches:
        if branch_active(branch, value, checkers):
            active |= branch.mentions
    return active


def fill_implied_groups(field: Field, value: Any, checkers: dict[int, Any], depth: int = 0) -> Any:
    """The data jsonschema checks: an empty {} for each absent group the group rule requires (and that
    applies), so that its required fields are reported. Copy on write; the caller's data is kept."""
    if depth > 48:
        return value
    if isinstance(field, RepeatField) and isinstance(value, list):
        items = [fill_implied_groups(field.item, v, checkers, depth + 1) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if not isinstance(field, ObjectField) or not isinstance(value, dict):
        return value
    out, active = None, None
    for child in field.children:
        current = value.get(child.key, MISSING)
        if current is MISSING:
            if not (isinstance(child, ObjectField) and child.implied):
                continue
            if child.conditional:
                active = _active_mentions(field.view, value, checkers) if active is None else active
                if child.key not in active:
                    continue
            current = {}
        new = fill_implied_groups(child, current, checkers, depth + 1)
        if new is not value.get(child.key, MISSING):
            out = dict(value) if out is None else out
            out[child.key] = new
    return value if out is None else out


def prune(field: Field, value: Any, checkers: dict[int, Any], depth: int = 0) -> Any:
    """Drop the values of conditional fields whose condition does not hold (recursively)."""
    if depth > 48:
        return value
    if isinstance(field, ObjectField) and isinstance(value, dict):
        out = dict(value)
        view: ObjectView = field.view
        conditional = view.conditional
        for _ in range(4):  # conditions may depend on conditional fields
            active = _active_mentions(view, out, checkers)
            drop = [k for k in out if k in conditional and k not in active]
            if not drop:
                break
            for key in drop:
                del out[key]
        for child in field.children:
            if child.key in out:
                out[child.key] = prune(child, out[child.key], checkers, depth + 1)
        return out
    if isinstance(field, RepeatField) and isinstance(value, list):
        return [prune(field.item, v, checkers, depth + 1) for v in value]
    return value
