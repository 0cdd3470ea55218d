"""Helpers every procedure-editor page shares."""
from __future__ import annotations

import json
from typing import Any

from flask import abort

from app.procedures.operations import get_draft, get_procedure


def pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def procedure_or_404(code: str):
    procedure = get_procedure(code)
    if procedure is None:
        abort(404)
    return procedure


def editable_form(procedure):
    """The version the editor shows: the draft, else the current version."""
    return get_draft(procedure) or procedure.current_version
