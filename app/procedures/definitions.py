"""Reading and checking procedure definition files (forms_schema/*.json)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from app.procedures.models import LEVELS, TIERS

DELIVERY = ("office", "post", "online")
# Keys the Procedure row stores; everything else of the file is kept in `extra`.
META_KEYS = (
    "code", "name", "name_en", "field", "field_en", "tier", "level", "processing_days",
    "verification_days", "fee", "fee_note", "agency", "result", "steps", "legal_basis",
    "delivery_methods", "linked_procedures",
)
FORM_KEYS = ("schema", "ui_schema", "required_documents")


class DefinitionError(Exception):
    """A definition file with problems; `.problems` lists every one."""

    def __init__(self, source: str, problems: list[str]):
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems


def load_file(path: str | Path) -> dict[str, Any]:
    """Parse one file; JSON errors are reported with line and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError(str(path), [f"cannot read file: {exc.strerror}"]) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            str(path), [f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from exc
    return data


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_definition(data: Any) -> list[str]:
    """Every problem of a parsed definition, each naming where it is."""
    if not isinstance(data, dict):
        return ["/: a definition must be a JSON object"]
    problems: list[str] = []
    for key in ("code", "name", "field"):
        if not isinstance(data.get(key), str) or not data.get(key, "").strip():
            problems.append(f"/{key}: required text")
    if data.get("tier") not in TIERS:
        problems.append(f"/tier: must be one of {', '.join(TIERS)}")
    if data.get("level") not in LEVELS or not _is_int(data.get("level")):
        problems.append("/level: must be an integer from 1 to 4")
    for key in ("processing_days", "fee"):
        if not _is_int(data.get(key)) or data[key] < 0:
            problems.append(f"/{key}: must be a non-negative integer")
    if "verification_days" in data and data["verification_days"] is not None and (
        not _is_int(data["verification_days"]) or data["verification_days"] < 0
    ):
        problems.append("/verification_days: must be a non-negative integer")
    for key in ("steps", "legal_basis", "linked_procedures"):
        if key in data and not isinstance(data[key], list):
            problems.append(f"/{key}: must be a list")
    methods = data.get("delivery_methods", ["office"])
    if not isinstance(methods, list) or not set(methods) <= set(DELIVERY) or not methods:
        problems.append(f"/delivery_methods: must be a non-empty list of {', '.join(DELIVERY)}")
    problems.extend(_check_documents(data.get("required_documents", [])))
    problems.extend(_check_form(data.get("schema"), data.get("ui_schema")))
    return problems


def _check_documents(docs: Any) -> list[str]:
    if not isinstance(docs, list):
        return ["/required_documents: must be a list"]
    problems, keys = [], set()
    for i, doc in enumerate(docs):
        where = f"/required_documents/{i}"
        if not isinstance(doc, dict):
            problems.append(f"{where}: must be an object")
            continue
        key = doc.get("key")
        if not isinstance(key, str) or not key:
            problems.append(f"{where}/key: required text")
        elif key in keys:
            problems.append(f"{where}/key: duplicate key {key!r}")
        keys.add(key)
        if not isinstance(doc.get("title"), str) or not doc.get("title"):
            problems.append(f"{where}/title: required text")
        if "required" in doc and not isinstance(doc["required"], bool):
            problems.append(f"{where}/required: must be true or false")
    return problems


def _check_form(schema: Any, ui_schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return ["/schema: required JSON Schema object"]
    if ui_schema is not None and not isinstance(ui_schema, dict):
        return ["/ui_schema: must be an object"]
    try:
        from app.forms.engine import SchemaError, compile_schema
    except ImportError:  # engine not installed: fall back to the meta-schema check
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            return [f"/schema{exc.json_path[1:].replace('.', '/')}: {exc.message}"]
        return []
    try:
        compile_schema(schema, ui_schema or None)
    except SchemaError as exc:
        return [f"/schema: {p}" if not str(p).startswith("/") else f"/schema{p}"
                for p in exc.problems]
    return []
