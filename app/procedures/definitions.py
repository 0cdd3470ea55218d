"""Reading and checking procedure definition files (forms_schema/*.json)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _

from app.forms.checks import meta_problems
from app.forms.engine import SchemaError, compile_schema, validate
from app.forms.errors import pointer_join
from app.procedures.definition_schema import DEFINITION_SCHEMA, FORM_KEYS, METADATA_SCHEMA

# Keys the Procedure row stores; everything else of the file is kept in `extra`.
META_KEYS = (
    "code", "name", "name_en", "field", "field_en", "tier", "level", "processing_days",
    "verification_days", "retention_months", "fee", "fee_note", "agency", "result", "steps", "legal_basis",
    "delivery_methods", "linked_procedures",
)
MAX_DEFINITION_BYTES = 2 * 1024 * 1024


def N_(msgid: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return msgid


# json's own messages, in the words of a person fixing the file.
JSON_MESSAGES = {
    "Expecting value": N_("a value is expected here"),
    "Expecting property name enclosed in double quotes":
        N_("a property name in double quotes is expected here"),
    "Expecting ':' delimiter": N_("a colon (:) is missing"),
    "Expecting ',' delimiter": N_("a comma (,) is missing"),
    "Unterminated string starting at": N_("a text in quotes is not closed"),
    "Invalid control character at": N_("a line break or control character is inside a text"),
    "Invalid \\escape": N_("a backslash (\\) starts an invalid escape"),
    "Invalid \\uXXXX escape": N_("a backslash (\\) starts an invalid escape"),
    "Extra data": N_("there is more text after the end of the JSON"),
    "Illegal trailing comma before end of object": N_("a comma is left before the closing bracket"),
    "Illegal trailing comma before end of array": N_("a comma is left before the closing bracket"),
}


@dataclass(frozen=True)
class Problem:
    """One problem of a definition: a JSON pointer into the file ("" for the file) and a message."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}" if self.pointer else self.message


class DefinitionError(Exception):
    """A definition file with problems; `.problems` lists every one as text."""

    def __init__(self, source: str, problems: list[Problem | str]):
        self.source = source
        self.details = [p if isinstance(p, Problem) else Problem("", str(p)) for p in problems]
        self.problems = [str(p) for p in self.details]
        super().__init__(f"{source}: " + "; ".join(self.problems))


def json_syntax_message(exc: json.JSONDecodeError) -> str:
    """The localized 'JSON syntax error at line L, column C: what' of a decoding error."""
    what = JSON_MESSAGES.get(exc.msg)
    return _("JSON syntax error at line %(line)d, column %(col)d: %(msg)s",
             line=exc.lineno, col=exc.colno, msg=_(what) if what else exc.msg)


def parse_definition(source: str, raw: bytes) -> Any:
    """Decode one file's bytes (UTF-8, a BOM allowed); DefinitionError says where JSON breaks."""
    if len(raw) > MAX_DEFINITION_BYTES:
        raise DefinitionError(source, [_("The file is larger than %(size)s MB.",
                                         size=MAX_DEFINITION_BYTES // (1024 * 1024))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DefinitionError(source, [_("The file is not UTF-8 text.")]) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError(source, [json_syntax_message(exc)]) from exc


def read_definition(path: str | Path) -> bytes:
    """The bytes of a definition file; DefinitionError when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise DefinitionError(str(path), [_("There is no such file.")]) from exc
    except IsADirectoryError as exc:
        raise DefinitionError(str(path), [_("This is a folder, not a file.")]) from exc
    except OSError as exc:
        raise DefinitionError(str(path), [_("The file cannot be read: %(reason)s",
                                            reason=exc.strerror or exc)]) from exc


def load_file(path: str | Path) -> Any:
    """Read and parse one definition file (not yet checked)."""
    return parse_definition(str(path), read_definition(path))


def definition_problems(data: Any, locale: str | None = None) -> list[Problem]:
    """Every problem of a parsed definition, each with its JSON pointer, localized."""
    problems = _schema_problems(DEFINITION_SCHEMA, data, locale)
    if not isinstance(data, dict):
        return problems
    problems += _cross_problems(data)
    if isinstance(data.get("schema"), dict) and isinstance(data.get("ui_schema") or {}, dict):
        problems += form_definition_problems(data["schema"], data.get("ui_schema") or None)
    return problems


def metadata_problems(data: Any, locale: str | None = None) -> list[Problem]:
    """Problems of the catalogue information alone (the admin's details form)."""
    problems = _schema_problems(METADATA_SCHEMA, data, locale)
    if isinstance(data, dict):
        problems += [p for p in _cross_problems(data) if not p.pointer.startswith(
            tuple(f"/{k}" for k in FORM_KEYS))]
    return problems


def check_definition(data: Any, locale: str | None = None) -> list[str]:
    """definition_problems as text ("/pointer: message"), for listing."""
    return [str(p) for p in definition_problems(data, locale)]


def _schema_problems(schema: dict, data: Any, locale: str | None) -> list[Problem]:
    return [Problem(error.path or "", error.summary_text) for error in validate(schema, data, locale)]


def _cross_problems(data: dict) -> list[Problem]:
    """What one JSON Schema cannot say: unique document keys, fields named by other keys."""
    problems: list[Problem] = []
    documents = data.get("required_documents")
    seen: set[str] = set()
    for i, doc in enumerate(documents if isinstance(documents, list) else []):
        key = doc.get("key") if isinstance(doc, dict) else None
        if isinstance(key, str) and key in seen:
            problems.append(Problem(f"/required_documents/{i}/key",
                                    _("Another document already has the key %(key)s.", key=key)))
        seen.add(key)
    linked = data.get("linked_procedures")
    if isinstance(linked, list) and data.get("code") in linked:
        problems.append(Problem(f"/linked_procedures/{linked.index(data['code'])}",
                                _("A procedure cannot be linked to itself.")))
    schema = data.get("schema")
    fields = set((schema.get("properties") or {}) if isinstance(schema, dict) else ())
    problems += _linked_problems(data, fields if isinstance(schema, dict) else None)
    problems += _condition_problems(documents if isinstance(documents, list) else [],
                                    fields if isinstance(schema, dict) else None)
    if isinstance(schema, dict):
        named = [("/fee_quantity_field", data.get("fee_quantity_field"))]
        fees = data.get("extra_fees")
        named += [(f"/extra_fees/{i}/quantity_field", fee.get("quantity_field"))
                  for i, fee in enumerate(fees if isinstance(fees, list) else [])
                  if isinstance(fee, dict)]
        for pointer, name in named:
            if isinstance(name, str) and name and name not in fields:
                problems.append(Problem(pointer, _(
                    "The form has no field %(name)s (a field of the first level is expected).",
                    name=name)))
    return problems


def _linked_problems(data: dict, fields: set[str] | None) -> list[Problem]:
    """`linked_after` and `linked_data` name linked codes; the order has no cycle."""
    linked = data.get("linked_procedures")
    codes = {c for c in linked if isinstance(c, str)} if isinstance(linked, list) else set()
    problems: list[Problem] = []
    after = data.get("linked_after")
    waits: dict[str, list[str]] = {}
    for code, needed in (after.items() if isinstance(after, dict) else ()):
        where = pointer_join("/linked_after", code)
        if code not in codes:
            problems.append(Problem(where, _("%(code)s is not one of the linked procedures.", code=code)))
        for i, other in enumerate(needed if isinstance(needed, list) else []):
            if other == code:
                problems.append(Problem(f"{where}/{i}", _("A linked procedure cannot wait for itself.")))
            elif isinstance(other, str) and other not in codes:
                problems.append(Problem(f"{where}/{i}", _(
                    "%(code)s is not one of the linked procedures.", code=other)))
        waits[code] = [c for c in needed if isinstance(c, str)] if isinstance(needed, list) else []
    cycle = _cycle(waits)
    if cycle:
        problems.append(Problem("/linked_after", _(
            "The linked procedures wait for each other in a circle: %(codes)s.",
            codes=" → ".join(cycle))))
    mapping = data.get("linked_data")
    for code, names in (mapping.items() if isinstance(mapping, dict) else ()):
        where = pointer_join("/linked_data", code)
        if code not in codes:
            problems.append(Problem(where, _("%(code)s is not one of the linked procedures.", code=code)))
        for key, source in (names.items() if isinstance(names, dict) else ()):
            if fields is not None and isinstance(source, str) and source not in fields:
                problems.append(Problem(pointer_join(where, key), _(
                    "The form has no field %(name)s (a field of the first level is expected).",
                    name=source)))
    return problems


def _cycle(waits: dict[str, list[str]]) -> list[str]:
    """A circle in "X waits for Y" (as codes, the first repeated at the end), or []."""
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(code: str, path: list[str]) -> list[str]:
        if state.get(code) == 1:
            return path[path.index(code):] + [code]
        if state.get(code) == 2:
            return []
        state[code] = 1
        for other in waits.get(code, []):
            found = visit(other, path + [code])
            if found:
                return found
        state[code] = 2
        return []

    for start in sorted(waits):
        found = visit(start, [])
        if found:
            return found
    return []


def _condition_problems(documents: list, fields: set[str] | None) -> list[Problem]:
    """A document's `required_when` is a JSON Schema over the form's fields; not with required."""
    problems: list[Problem] = []
    for i, doc in enumerate(documents):
        condition = doc.get("required_when") if isinstance(doc, dict) else None
        if not isinstance(condition, dict):
            continue
        where = f"/required_documents/{i}/required_when"
        if doc.get("required") is True:
            problems.append(Problem(where, _(
                "A document is either always required or required when a condition holds, not both.")))
        problems += [Problem(where + p.pointer, p.text()) for p in meta_problems(condition)]
        named = list((condition.get("properties") or {}) if isinstance(condition.get("properties"), dict)
                     else ()) + [n for n in condition.get("required") or [] if isinstance(n, str)]
        for name in dict.fromkeys(named):
            if fields is not None and name not in fields:
                problems.append(Problem(where, _(
                    "The form has no field %(name)s (a field of the first level is expected).",
                    name=name)))
    return problems


def form_definition_problems(schema: Any, ui_schema: Any) -> list[Problem]:
    """compile_schema's problems, pointing into the definition (/schema/…, /ui_schema/…)."""
    if not isinstance(schema, dict):
        return [Problem("/schema", _("The form must be a JSON Schema object."))]
    if ui_schema is not None and not isinstance(ui_schema, dict):
        return [Problem("/ui_schema", _("The form layout must be a JSON object."))]
    try:
        compile_schema(schema, ui_schema or None)
    except SchemaError as exc:
        details = getattr(exc, "details", None)
        if details:
            return [Problem(f"/{d.source}{d.pointer}", d.text()) for d in details]
        return [Problem("/schema", str(p)) for p in exc.problems]
    return []


def document_problems(documents: Any) -> list[Problem]:
    """The required-document list checked alone (the JSON editor's document lines)."""
    data = {"code": "-", "name": "-", "field": "-", "tier": "commune", "level": 1,
            "processing_days": 0, "fee": 0, "schema": {}, "required_documents": documents}
    return [p for p in _schema_problems(DEFINITION_SCHEMA, data, None) + _cross_problems(data)
            if p.pointer.startswith("/required_documents")]
