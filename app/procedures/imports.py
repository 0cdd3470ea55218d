"""Importing definition files all or nothing: the one operation of the CLI and the admin page."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.audit import record
from app.extensions import db
from app.procedures.definition_schema import DEFINITION_SCHEMA
from app.procedures.definitions import (
    N_,
    DefinitionError,
    Problem,
    definition_problems,
    parse_definition,
    read_definition,
)
from app.procedures.operations import (
    ImportOutcome,
    get_procedure,
    import_definition,
    units_by_code,
)

STATE_LABELS = {"created": N_("created"), "new_version": N_("new version"),
                "metadata_updated": N_("information updated"), "unchanged": N_("unchanged")}


class ImportRefused(Exception):
    """Nothing was imported; `.failures` holds every file's problems."""

    def __init__(self, failures: list[DefinitionError]):
        self.failures = failures
        self.problems = [f"{f.source}: {p}" if f.source else p
                         for f in failures for p in f.problems]
        super().__init__("; ".join(self.problems))


def import_definitions(sources: Iterable[tuple[str, bytes | Path]], unit_codes: Iterable[str] = (),
                       *, via: str = "cli", unit_label: str = "--unit") -> list[ImportOutcome]:
    """Check every file first, then import all or none, auditing each change; flushes only.

    Raises ImportRefused listing every problem of every file; nothing is then changed.
    """
    unit_codes = list(unit_codes)
    failures: list[DefinitionError] = []
    checked: list[tuple[str, dict]] = []
    for name, raw in sources:
        try:
            data = parse_definition(name, raw if isinstance(raw, bytes) else read_definition(raw))
            problems = definition_problems(data)
            if problems:
                raise DefinitionError(name, problems)
            checked.append((name, data))
        except DefinitionError as exc:
            failures.append(exc)
    failures += _batch_problems(checked, not failures)
    unknown: list[Problem] = []
    units_by_code(unit_codes, unknown)
    if unknown:
        failures.append(DefinitionError(unit_label, unknown))
    if not checked and not failures:
        failures.append(DefinitionError("", [_("Choose at least one definition file.")]))
    if failures:
        raise ImportRefused(failures)
    with db.session.begin_nested():  # one unit: a failure half-way leaves nothing behind
        outcomes = [import_definition(data, unit_codes, source=name, checked=True)
                    for name, data in checked]
        db.session.flush()
        for outcome in outcomes:
            if outcome.changed:
                _audit_import(outcome, via, unit_codes)
        db.session.flush()
    return outcomes


def _batch_problems(checked: list[tuple[str, dict]], complete: bool) -> list[DefinitionError]:
    """Across files: one file per code; linked codes exist or come in the same batch."""
    failures, first = [], {}
    codes = {data["code"] for _name, data in checked}
    for name, data in checked:
        problems = []
        if data["code"] in first:
            problems.append(Problem("/code", _("The file %(other)s has the same code %(code)s.",
                                               other=first[data["code"]], code=data["code"])))
        first.setdefault(data["code"], name)
        for i, code in enumerate(data.get("linked_procedures") or []):
            # Only when every file was readable: a broken file may be the one defining it.
            if complete and code not in codes and get_procedure(code) is None:
                problems.append(Problem(f"/linked_procedures/{i}", _(
                    "Linked procedure %(code)s does not exist.", code=code)))
        if problems:
            failures.append(DefinitionError(name, problems))
    return failures


def _audit_import(outcome: ImportOutcome, via: str, unit_codes: list[str]) -> None:
    procedure = outcome.procedure
    record("import", "Procedure", procedure.code,
           f"{outcome.source} → {procedure.code} v{outcome.version.number} ({outcome.state})",
           {"via": via, "source": outcome.source, "state": outcome.state,
            "version": outcome.version.number, "metadata": outcome.metadata_changes,
            "form": [c.as_dict() for c in outcome.form_changes],
            "units": outcome.new_units, "requested_units": unit_codes})




def outcome_summary(outcome: ImportOutcome) -> str:
    """One line per imported file: "CODE vN (state)", in the current language."""
    return (f"{outcome.procedure.code} v{outcome.version.number} "
            f"({_(STATE_LABELS[outcome.state])})")


def outcome_details(outcome: ImportOutcome) -> list[str]:
    """What the import changed, in words: information keys, form changes, new offerings."""
    lines = []
    if outcome.metadata_changes:
        lines.append(_("Information changed: %(keys)s",
                       keys="; ".join(key_label(k) for k in sorted(outcome.metadata_changes))))
    if outcome.state != "created":  # a new procedure's whole form is new: no list of fields
        lines += [change.text() for change in outcome.form_changes]
    if outcome.new_units:
        lines.append(_("Now offered at: %(units)s", units=", ".join(outcome.new_units)))
    return lines


def key_label(key: str) -> str:
    """A definition key with its title in the current language: "Lệ phí (đồng) (fee)"."""
    node = DEFINITION_SCHEMA["properties"].get(key)
    if not isinstance(node, dict) or "title" not in node:
        return key
    title = node["title"]
    if (get_locale() or "vi").language != "vi":
        title = node.get("x-i18n", {}).get("en", {}).get("title", title)
    return f"{title} ({key})"
