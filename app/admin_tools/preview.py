"""Server-side preview of a form being edited: problems first, then both languages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from app.admin_tools.forms import json_problem
from app.forms.engine import SchemaError, compile_schema


@dataclass
class Preview:
    problems: list[str] = field(default_factory=list)
    html: dict[str, Markup] = field(default_factory=dict)
    schema: Any = None
    ui_schema: Any = None
    notes: list[str] = field(default_factory=list)  # what a form being built cannot show yet

    def as_json(self) -> dict[str, Any]:
        return {"problems": self.problems, "notes": self.notes,
                "html": {k: str(v) for k, v in self.html.items()}}


def preview_texts(schema_text: str, ui_text: str) -> Preview:
    """Parse the two JSON texts, compile, and render the empty form in vi and en."""
    result = Preview()
    result.schema, problem = json_problem(schema_text, _("Form schema"))
    if problem:
        result.problems.append(problem)
    elif result.schema is None:
        result.problems.append(_("The form schema is empty."))
    result.ui_schema, problem = json_problem(ui_text, _("UI schema"))
    if problem:
        result.problems.append(problem)
    if result.problems:
        return result
    return preview_form(result.schema, result.ui_schema or {}, result)


def preview_form(schema: Any, ui_schema: Any, result: Preview | None = None) -> Preview:
    """Compile a parsed form and render it in both languages (or list its problems)."""
    result = result or Preview(schema=schema, ui_schema=ui_schema)
    try:
        form = compile_schema(schema, ui_schema or None)
    except SchemaError as exc:
        result.problems.extend(exc.problems)
        return result
    for locale in ("vi", "en"):
        result.html[locale] = form.render({}, None, locale, prefix=f"preview-{locale}-")
    return result
