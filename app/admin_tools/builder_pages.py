"""The visual form builder page: rows of fields posted back and forth, no JSON needed."""
from __future__ import annotations

import json

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from app.admin_tools.builder import (
    FIELD_TYPES,
    BuilderError,
    FieldSpec,
    schema_to_specs,
    specs_to_schema,
)
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
from app.procedures import editing

MAX_ROWS = 200


def rows_from_form(form) -> list[Row]:
    """The builder rows as posted (blank new rows are skipped)."""
    rows = []
    count = min(int(form.get("rows", "0") or 0) if str(form.get("rows", "0")).isdigit() else 0,
                MAX_ROWS)
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
        rows.append(Row(get("parent"), spec))
    return rows


def _json_object(text: str) -> dict:
    """A hidden field's JSON object; anything else (tampering) counts as empty."""
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


class BuilderPages:
    """Routes of the visual builder, mixed into the procedure editor view."""

    def _builder_page(self, procedure, rows, preview, problems=(), locked=()):
        groups = sorted({(f"{r.parent}.{r.spec.key}" if r.parent else r.spec.key)
                         for r in rows if r.spec.type in ("group", "repeat")})
        return self.render_template(
            "admin_tools/procedure_builder.html", procedure=procedure, rows=rows,
            preview=preview, problems=problems, locked=locked, types=FIELD_TYPES,
            groups=groups, options_text=options_text, json=json)

    @expose("/<code>/builder", methods=["GET", "POST"])
    @has_access
    def builder(self, code: str):
        from app.admin_tools.editor import editable_form, procedure_or_404

        procedure = procedure_or_404(code)
        version = editable_form(procedure)
        if request.method == "GET":
            specs, locked = schema_to_specs(version.schema, version.ui_schema) if version \
                else ([], [])
            if not specs and not locked:
                specs = []
            rows = specs_to_rows(specs)
            preview = preview_form(version.schema, version.ui_schema) if version and specs \
                else Preview()
            return self._builder_page(procedure, rows, preview, locked=locked)
        locked = schema_to_specs(version.schema, version.ui_schema)[1] if version else []
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
        specs, problems = rows_to_specs([r for r in rows if r.spec.key or r.spec.label])
        preview = Preview()
        try:
            schema, ui = specs_to_schema(specs, procedure.name)
        except BuilderError as exc:
            problems += exc.problems
        else:
            preview = preview_form(schema, ui)
            problems += preview.problems
        if verb == "save" and locked:
            problems.append(_("This form uses features the visual builder cannot edit; "
                              "change it in the JSON editor."))
        if verb != "save" or problems:
            status = 422 if verb == "save" and problems else 200
            return self._builder_page(procedure, rows, preview, problems, locked), status
        documents = version.required_documents if version else []
        try:
            draft = editing.save_form(procedure, schema, ui, documents)
        except Refused as exc:
            return self._builder_page(procedure, rows, preview, exc.problems), 422
        flash(_("Draft version %(n)d saved. Publish it when it is ready.", n=draft.number), "success")
        return redirect(url_for(".builder", code=code))
