"""The language of the current request (Vietnamese outside requests: CLI, workers)."""
from __future__ import annotations

from flask_babel import get_locale


def current_locale() -> str:
    try:
        return str(get_locale() or "vi")
    except (RuntimeError, AttributeError):  # outside a request (CLI, worker)
        return "vi"
