"""The language of the current request (Vietnamese outside requests: CLI, workers)."""
from __future__ import annotations

from flask_babel import get_locale


def current_locale() -> str:
    try:
        locale = get_locale()
    except (RuntimeError, AttributeError):  # outside a request (CLI, worker)
        return "vi"
    if locale is None:
        return "vi"
    if locale.territory is None and locale.script is None and locale.variant is None:
        return locale.language  # what str() gives, without building the identifier each time
    return str(locale)


def select_locale() -> str:
    """Flask-Babel's locale selector: FAB's choice (`?_l_=`, then the session, then the default)
    without FAB's side effect of writing the default into every visitor's session: an anonymous
    visitor who never chose a language gets no session cookie (public pages stay cacheable, and
    no request pays for signing and reading one)."""
    from flask import current_app, has_request_context, request, session

    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    if "_l_" in request.args:
        value = request.args["_l_"]
        return value if value in current_app.config["LANGUAGES"] else default
    return session.get("locale") or default
