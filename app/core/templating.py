"""Template filters every page uses: dates and times as Vietnamese readers expect them
(times are shown in Flask-Babel's time zone, BABEL_DEFAULT_TIMEZONE, Asia/Ho_Chi_Minh)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask_babel import _get_current_context, get_timezone, get_translations
from jinja2.ext import _make_new_gettext, _make_new_ngettext

from app.core.locale import current_locale


def _aware(value: dt.datetime) -> dt.datetime:
    """Stored times are UTC; SQLite hands them back naive."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


_ZONE: list[Any] = []  # the portal's one time zone (no per-user selector), found once


def _local(value: dt.datetime) -> dt.datetime:
    """In the portal's time zone. Digits only, the same in every language: strftime, not
    Babel's pattern formatting (ten times the cost, paid per cell of every list)."""
    if not _ZONE:
        _ZONE.append(get_timezone())
    return _aware(value).astimezone(_ZONE[0])


def _day(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


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
        value = _local(value)
        return f"{_day(value)} {value:%H:%M}" if with_time else _day(value)
    return _day(value)


def bo_datetime(value: Any) -> str:
    """A stored time as local 'HH:MM dd/mm/yyyy' (the back office's lists)."""
    if value is None:
        return ""
    value = _local(value)
    return f"{value:%H:%M} {_day(value)}"


def _bound_translations() -> dict[str, Any]:
    """`_()` and `ngettext()` of this rendering bound to its catalogue, found once per
    template (in its language: a mail rendered under force_locale gets that language).
    Flask-Babel's callables look the request's catalogue up again for every text — about a
    third of a list page's time. Jinja's `_` resolves `gettext` from the context first."""
    translations = _translations()
    return {"gettext": _make_new_gettext(translations.ugettext),
            "ngettext": _make_new_ngettext(translations.ungettext)}


def _translations():
    """The catalogue of the current locale, found once per locale per request.

    Flask-Babel's callables (what macros imported without context call) find the domain and
    the locale's name again for every text; a mail under force_locale sets another locale
    object, so the catalogue is kept with the locale it belongs to."""
    ctx = _get_current_context()
    if ctx is None:
        return get_translations()
    locale = getattr(ctx, "babel_locale", None)
    kept = getattr(ctx, "motcua_translations", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    ctx.motcua_translations = (getattr(ctx, "babel_locale", None), translations)
    return translations


def register(app: Flask) -> None:
    app.context_processor(_bound_translations)
    # Replaces Flask-Babel's (same behaviour: newstyle, autoescaped formatting).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.add_template_filter(vndate, "vndate")
    app.add_template_filter(bo_datetime, "bo_datetime")
    app.jinja_env.globals["current_locale"] = current_locale
