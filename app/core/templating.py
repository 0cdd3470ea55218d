"""Template filters every page uses: dates and times as Vietnamese readers expect them."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask

from app.core.locale import current_locale
from app.workdays import LOCAL_TZ


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored (UTC, possibly naive) time in Vietnam's time zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(LOCAL_TZ)


def vndate(value: Any, with_time: bool = False) -> str:
    """dd/mm/yyyy (and HH:MM in Vietnam time) from a date, datetime or ISO text; '—' if empty."""
    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return local_time(value).strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    return value.strftime("%d/%m/%Y")


def bo_datetime(value: Any) -> str:
    """A stored UTC time as Vietnam local 'HH:MM dd/mm/yyyy'."""
    if value is None:
        return ""
    return local_time(value).strftime("%H:%M %d/%m/%Y")


def register(app: Flask) -> None:
    app.add_template_filter(vndate, "vndate")
    app.add_template_filter(bo_datetime, "bo_datetime")
    app.jinja_env.globals["current_locale"] = current_locale
