"""Localized error pages for the site and JSON errors for the API; never a traceback."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You do not have permission to see this page."),
    404: _l("The page you are looking for does not exist."),
    405: _l("This method is not allowed here."),
    409: _l("The dossier was changed by someone else; reload it and try again."),
    413: _l("The upload is too large."),
    415: _l("This type of file is not accepted."),
    422: _l("Some of the information is not valid."),
    429: _l("Too many requests; please wait a little and try again."),
    500: _l("Something went wrong on our side. Your data is safe; please try again later."),
}
TITLES = {
    400: _l("Bad request"), 403: _l("Access denied"), 404: _l("Page not found"), 405: _l("Method not allowed"),
    409: _l("Conflict"), 413: _l("Too large"), 415: _l("Unsupported file type"), 422: _l("Invalid data"),
    429: _l("Too many requests"), 500: _l("Server error"),
}


def wants_json() -> bool:
    """API paths and JSON clients get JSON errors."""
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def _localized(code: int) -> tuple[str, str]:
    title = TITLES.get(code) or _("Error")
    message = MESSAGES.get(code) or _("Something went wrong.")
    return str(title), str(message)


def handle_http_error(error: HTTPException):
    code = error.code or 500
    title, message = _localized(code)
    # The error's own headers (Allow of a 405, Retry-After of a 429…), not its body's type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if wants_json():
        return jsonify(message=message), code, headers
    return render_template("errors/error.html", code=code, title=title, message=message), code, headers


def handle_unexpected(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)

