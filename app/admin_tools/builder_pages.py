"""The visual form builder page: rows of fields posted back and forth, no JSON needed.

The page previews as it is built (builder.js posts the rows to `builder_preview`, debounced, and
the server's own form engine renders them); the tabs "Form builder" and "JSON editor" carry the
unsaved work across (`to_json`, and `to_builder` in the JSON editor); required documents ride
along in a hidden field.
"""
from __future__ import annotations

import json

from flask import flash, jsonify, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from app.admin_tools.builder import (
    FIELD_TYPES,
    BuilderError,
    FieldSpec,
    previewable_specs,
    schema_to_specs,
    specs_to_schema,
)
from app.admin_tools.builder_conditions import CHOICE_TYPES, CONTROLLERS, OPERATORS, Condition
from app.admin_tools.common import editable_form, pretty, procedure_or_404
from app.admin_tools.forms import documents_to_text, text_to_documents
from app.admin_tools.preview import Preview, preview_form
from app.admin_tools.rows import (
    Row,
    move_row,
    options_text,
    parse_options,
    rows_to_specs,
    slug,
    specs_to_rows,
)
from app.core.refusal import Refused
from app.extensions import limiter
from app.procedures import editing

MAX_ROWS = 200


def rows_from_form(form) -> list[Row]:
    """The builder rows as posted (blank new rows are skipped), conditions resolved to keys."""
    rows, posted = [], {}
    raw = str(form.get("rows", "0"))
    count = min(int(raw) if raw.isdigit() else 0, MAX_ROWS)
    for i in range(count):
        def get(name: str, default: str = "", i: int = i) -> str:
            return (form.get(f"f-{i}-{name}") or default).strip()
        label = get("label")
        key = get("key") or slug(label)
        if not key and not label:
            continue
        extra, ui_extra = _json_object(get("extra")), _json_object(get("ui_extra"))
        spec = FieldSpec(key=key, label=label, type=get("type", "text"),
                         required=bool(form.get(f"f-{i}-required")), label_en=get("label_en"),
                         help=get("help"), help_en=get("help_en"),
                         options=parse_options(form.get(f"f-{i}-options", "")),
                         extra=extra, ui_extra=ui_extra)
        posted[str(i)] = spec
        rows.append(Row(get("parent"), spec))
    for i, spec in posted.items():  # "show when" names its row by index: keys may be typed later
        controller = posted.get((form.get(f"f-{i}-when") or "").strip())
        if controller is None:
            continue
        op = (form.get(f"f-{i}-when_op") or "").strip()
        op = op if op in OPERATORS else "equals"
        if controller.type in CHOICE_TYPES:
            values = [v for v in form.getlist(f"f-{i}-when_values") if v.strip()]
        else:
            text = form.get(f"f-{i}-when_value") or ""
            values = [v.strip() for v in (text.split(";") if op == "in" else [text]) if v.strip()]
        spec.condition = Condition(controller.key, op, [] if op in ("ticked", "not_ticked") else values)
    return rows


def _json_object(text: str) -> dict:
    """A hidden field's JSON object; anything else (tampering) counts as empty."""
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _live_preview(specs: list[FieldSpec], title: str) -> Preview:
    """The form as far as it can be shown; what cannot yet is said in words (`notes`)."""
    shown, notes = previewable_specs(specs)
    preview = Preview()
    if shown:
        schema, ui = specs_to_schema(shown, title)
        preview = preview_form(schema, ui)
    preview.notes = notes
    return preview


def row_facts(rows: list[Row]) -> list[dict]:
    """What builder.js needs of each row to offer conditions: group, label, type, options."""
    return [{"index": i, "parent": r.parent, "key": r.spec.key, "label": r.spec.label,
             "type": r.spec.type, "options": [[o.value, o.label] for o in r.spec.options]}
            for i, r in enumerate(rows)]


def posted_facts(form) -> list[dict]:
    """row_facts of the rows as posted, numbered as on the page (blank rows included)."""
    raw = str(form.get("rows", "0"))
    facts = []
    for i in range(min(int(raw) if raw.isdigit() else 0, MAX_ROWS)):
        label = (form.get(f"f-{i}-label") or "").strip()
        facts.append({"index": i, "parent": (form.get(f"f-{i}-parent") or "").strip(),
                      "key": (form.get(f"f-{i}-key") or "").strip() or slug(label), "label": label,
                      "type": (form.get(f"f-{i}-type") or "text").strip(),
                      "options": [[o.value, o.label] for o in
                                  parse_options(form.get(f"f-{i}-options", ""))]})
    return facts


def group_names(rows: list[Row]) -> dict[str, str]:
    """Each group's path (what rows store as their parent) and its name for people, in the
    builder's order: its label, after its parents' ("Người đi cùng › Giấy tờ")."""
    names: dict[str, str] = {}
    for r in rows:
        if r.spec.type in ("group", "repeat") and r.spec.key:
            path = f"{r.parent}.{r.spec.key}" if r.parent else r.spec.key
            label = r.spec.label or r.spec.key
            names[path] = f"{names[r.parent]} › {label}" if r.parent in names else label
    return names


class BuilderPages:
    """Routes of the visual builder, mixed into the procedure editor view."""

    def _builder_page(self, procedure, rows, preview, problems=(), locked=(), docs_text="",
                      unsaved=False):
        return self.render_template(
            "admin_tools/procedure_builder.html", procedure=procedure, rows=rows,
            preview=preview, problems=problems, locked=locked, types=FIELD_TYPES,
            groups=group_names(rows), options_text=options_text, json=json, docs_text=docs_text,
            unsaved=unsaved, operators=OPERATORS, controllers=CONTROLLERS,
            choice_types=CHOICE_TYPES, facts=row_facts(rows))

    def builder_from_schema(self, procedure, schema, ui_schema, docs_text: str):
        """The builder drawn from a form not saved yet (the JSON editor's "Form builder" tab)."""
        specs, locked = schema_to_specs(schema, ui_schema)
        rows = specs_to_rows(specs)
        return self._builder_page(procedure, rows, _live_preview(specs, procedure.name),
                                  locked=locked, docs_text=docs_text, unsaved=True)

    @expose("/<code>/builder", methods=["GET", "POST"])
    @has_access
    def builder(self, code: str):
        procedure = procedure_or_404(code)
        version = editable_form(procedure)
        previous_docs = version.required_documents if version else []
        if request.method == "GET":
            specs, locked = schema_to_specs(version.schema, version.ui_schema) if version \
                else ([], [])
            # A form the builder cannot fully edit is previewed whole, as citizens get it.
            preview = preview_form(version.schema, version.ui_schema) if locked \
                else _live_preview(specs, procedure.name)
            return self._builder_page(procedure, specs_to_rows(specs), preview, locked=locked,
                                      docs_text=documents_to_text(previous_docs))
        locked = schema_to_specs(version.schema, version.ui_schema)[1] if version else []
        docs_text = request.form.get("documents", documents_to_text(previous_docs))
        rows = rows_from_form(request.form)
        action = request.form.get("action", "preview")
        verb, _sep, arg = action.partition(":")
        index = int(arg) if arg.isdigit() else -1
        if verb == "add":
            rows.append(Row(request.form.get("new_parent", ""), FieldSpec("", "", "text")))
        elif verb in ("up", "down"):
            rows = move_row(rows, index, -1 if verb == "up" else 1)
        elif verb == "remove" and 0 <= index < len(rows):
            gone = rows[index]
            path = f"{gone.parent}.{gone.spec.key}" if gone.parent else gone.spec.key
            rows = [r for i, r in enumerate(rows) if i != index
                    and r.parent != path and not r.parent.startswith(path + ".")]
            for r in rows:  # a field shown depending on the removed one is shown always
                if r.spec.condition is not None and r.parent == gone.parent \
                        and r.spec.condition.field == gone.spec.key:
                    r.spec.condition = None
        specs, problems = rows_to_specs([r for r in rows if r.spec.key or r.spec.label])
        preview = _live_preview(specs, procedure.name)
        schema = ui = None
        try:
            schema, ui = specs_to_schema(specs, procedure.name)
        except BuilderError as exc:
            problems += exc.problems
        else:
            problems += preview_form(schema, ui).problems
        documents, doc_problems = text_to_documents(docs_text, previous_docs)
        problems += doc_problems
        if verb in ("save", "to_json") and locked:
            problems.append(_("This form uses features the visual builder cannot edit; "
                              "change it in the JSON editor."))
        if verb in ("save", "to_json"):  # refused: said once, in the list of problems
            preview.notes = [n for n in preview.notes if n not in problems]
        else:  # only looking: what cannot be shown yet is a note, not an error
            problems = [p for p in problems if p not in preview.notes]
        if verb == "to_json" and not problems:  # the JSON editor with the unsaved form
            return self.json_page(procedure, pretty(schema), pretty(ui or {}), docs_text,
                                  unsaved=True)
        if verb not in ("save", "to_json") or problems:
            status = 422 if verb in ("save", "to_json") and problems else 200
            return self._builder_page(procedure, rows, preview, problems, locked, docs_text,
                                      unsaved=True), status
        try:
            draft = editing.save_form(procedure, schema, ui, documents)
        except Refused as exc:
            return self._builder_page(procedure, rows, preview, exc.problems, docs_text=docs_text,
                                      unsaved=True), 422
        flash(_("Draft version %(n)d saved. Publish it when it is ready.", n=draft.number), "success")
        return redirect(url_for(".builder", code=code))

    @expose("/<code>/builder/preview", methods=["POST"])
    @has_access
    @limiter.limit("120 per minute")
    def builder_preview(self, code: str):
        """JSON for builder.js: the form rendered by the engine (vi, en), what cannot be shown
        yet, and the rows' facts for the condition pickers."""
        procedure = procedure_or_404(code)
        rows = rows_from_form(request.form)
        specs, problems = rows_to_specs([r for r in rows if r.spec.key or r.spec.label])
        preview = _live_preview(specs, procedure.name)
        return jsonify({**preview.as_json(), "notes": problems + preview.notes,
                        "rows": posted_facts(request.form)})
