"""The citizen form of a procedure version, compiled once by the form engine and cached."""
from __future__ import annotations

from typing import Any

from app.forms.engine import CompiledForm, compile_cached


def compiled_form_for(version: Any) -> CompiledForm:
    """The compiled form of one procedure version (versions are frozen once published)."""
    return compile_cached(("procedure-version", version.procedure.code, version.number, version.id),
                          version.schema, version.ui_schema or None)
