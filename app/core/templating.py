"""Template filters every page uses: dates and times as Vietnamese readers expect them
(Flask-Babel formats them; times are shown in BABEL_DEFAULT_TIMEZONE, Asia/Ho_Chi_Minh)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime

from app.core.locale import current_locale


def _aware(value: dt.datetime) -> dt.datetime:
    """Stored times are UTC; SQLite hands them back naive."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def vndate(value: Any, with_time: bool = False) -> str:
    """dd/mm/yyyy (and HH:MM, local time) from a date, datetime or ISO text; '—' if empty."""
    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return format_datetime(_aware(value), "dd/MM/yyyy HH:mm" if with_time else "dd/MM/yyyy")
    return format_date(value, "dd/MM/yyyy")


def bo_datetime(value: Any) -> str:
    """A stored time as local 'HH:MM dd/mm/yyyy' (the back office's lists)."""
    if value is None:
        return ""
    return format_datetime(_aware(value), "HH:mm dd/MM/yyyy")


def register(app: Flask) -> None:
    app.add_template_filter(vndate, "vndate")
    app.add_template_filter(bo_datetime, "bo_datetime")
    app.jinja_env.globals["current_locale"] = current_locale
