"""Locale selection and translation lookup, inside or outside a Flask request."""

from __future__ import annotations

import os
from functools import lru_cache

from babel.support import NullTranslations, Translations
from flask import current_app, has_app_context, has_request_context

DEFAULT_LOCALE = "vi"
_REPO_TRANSLATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "translations")


def normalize_locale(locale: object) -> str:
    """Reduce a babel Locale or tag such as "en_US" to its language ("en")."""
    text = str(locale or DEFAULT_LOCALE).replace("-", "_")
    return text.split("_", 1)[0].lower() or DEFAULT_LOCALE


def resolve_locale(locale: str | None = None) -> str:
    """An explicit locale wins; else the request's (flask_babel); else Vietnamese."""
    if locale:
        return normalize_locale(locale)
    if has_request_context() and "babel" in current_app.extensions:
        from flask_babel import get_locale

        found = get_locale()
        if found is not None:
            return normalize_locale(found)
    return DEFAULT_LOCALE


@lru_cache(maxsize=32)
def _standalone_catalog(directory: str, locale: str) -> NullTranslations:
    """Load compiled catalogs from the repository when no Flask app is active."""
    return Translations.load(directory, [locale], "messages")


def _translations(locale: str) -> NullTranslations:
    """The gettext catalog for a locale: the app's (Flask-Babel) or the repository's."""
    if has_app_context() and "babel" in current_app.extensions:
        from flask_babel import force_locale, get_translations

        with force_locale(locale):
            return get_translations()
    return _standalone_catalog(os.path.abspath(_REPO_TRANSLATIONS), locale)


def translate(msgid: str, locale: str, **params: object) -> str:
    """Translate an English msgid into the locale and interpolate params."""
    text = _translations(locale).ugettext(str(msgid)) if locale != "en" else str(msgid)
    return text % params if params else text


def ntranslate(singular: str, plural: str, num: int, locale: str, **params: object) -> str:
    """Plural-aware translate; num is also available as %(num)d."""
    if locale == "en":
        text = singular if num == 1 else plural
    else:
        text = _translations(locale).ungettext(str(singular), str(plural), num)
    return text % dict(params, num=num)


def node_text(node: dict, key: str, locale: str) -> str | None:
    """A schema/ui text (title, description…) in the locale, from x-i18n or the node."""
    if locale != DEFAULT_LOCALE:
        extra = node.get("x-i18n")
        if isinstance(extra, dict):
            value = (extra.get(locale) or {}).get(key)
            if isinstance(value, str | list):
                return value
    value = node.get(key)
    return value if isinstance(value, str | list) else None
