"""A database that cannot be reached answers 503 with Retry-After, never a 500 or a traceback."""
from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, has_request_context, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from app.extensions import db

log = logging.getLogger(__name__)
# Response headers a 503 built after the fact does not inherit from the answer it replaces.
OWN_HEADERS = {"content-type", "content-length", "location", "etag", "last-modified",
               "content-disposition", "retry-after", "cache-control"}


def is_database_unavailable(error: BaseException) -> bool:
    """Whether the error means the database (or its connection) is gone, not a bad statement."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


@event.listens_for(Engine, "handle_error")
def _note_outage(context) -> None:
    """Remember that this request met a lost database, even if some code turns it into a 500."""
    if not has_request_context():
        return
    dbapi = getattr(context.dialect, "loaded_dbapi", None) or getattr(context.dialect, "dbapi", None)
    lost = (dbapi.OperationalError, dbapi.InterfaceError) if dbapi is not None else ()
    if context.is_disconnect or (lost and isinstance(context.original_exception, lost)):
        g.database_unavailable = True


def met_outage() -> bool:
    """Whether the current request met an unreachable database (FAB's APIs answer those 500)."""
    return bool(has_request_context() and g.get("database_unavailable"))


def reset_session() -> None:
    """Drop the session after a database error; the pool reconnects on the next checkout."""
    try:
        db.session.rollback()
    except sa_exc.SQLAlchemyError:
        pass
    try:
        db.session.remove()
    except sa_exc.SQLAlchemyError:
        pass


def retry_after() -> int:
    return int(current_app.config.get("DB_OUTAGE_RETRY_AFTER", 15))


def unavailable_response(uncertain: bool = False, replacing: Response | None = None) -> Response:
    """503 JSON for the API, a localized page (that reads nothing from the database) otherwise."""
    from app.core.errors import wants_json

    title = _("Service temporarily unavailable")
    if uncertain:
        message = _("We could not confirm that your request was saved. Check before repeating it; "
                    "repeating an API request with the same Idempotency-Key is always safe.")
    else:
        message = _("The service is briefly unavailable and nothing was saved. "
                    "Please try again in a moment.")
    if wants_json():
        response = jsonify(message=message)
    else:
        try:
            page = render_template("errors/outage.html", title=title, message=message)
        except Exception:  # noqa: BLE001 - the page must come out whatever else is broken
            page = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{message}</p>"
        response = Response(page, mimetype="text/html")
    response.status_code = 503
    if replacing is not None:
        for name, value in replacing.headers.items():
            if name.lower() not in OWN_HEADERS and name.lower() != "set-cookie":
                response.headers.add(name, value)
    response.headers["Retry-After"] = str(retry_after())
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_database_error(error: sa_exc.SQLAlchemyError):
    """Outage → 503; any other database error is an ordinary server error."""
    from app.core.errors import handle_unexpected

    if not is_database_unavailable(error):
        return handle_unexpected(error)
    log.warning("database unavailable on %s %s: %s", request.method, request.path,
                str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
    reset_session()
    return unavailable_response()


def register(app: Flask) -> None:
    app.register_error_handler(sa_exc.DBAPIError, handle_database_error)
    app.register_error_handler(sa_exc.TimeoutError, handle_database_error)
