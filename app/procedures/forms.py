"""The citizen form of a procedure version, compiled once by the form engine and cached."""
from __future__ import annotations

from typing import Any

from app.forms.engine import CompiledForm, cached_form, compile_cached


def compiled_form_for(version: Any) -> CompiledForm:
    """The compiled form of one procedure version (versions are frozen once published); its
    schema is read from the row only to compile it (filing loads the version without it)."""
    key = ("procedure-version", version.procedure.code, version.number, version.id)
    form = cached_form(key)
    return form if form is not None else compile_cached(key, version.schema,
                                                        version.ui_schema or None)
