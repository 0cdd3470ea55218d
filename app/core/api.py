"""Helpers shared by the JSON API endpoints: bodies, errors, pagination."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask import current_app, jsonify, request
from flask_babel import gettext as _


class ApiError(Exception):
    """An error answered as JSON {"message", "errors"?} with an HTTP status."""

    def __init__(self, status: int, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or []


def error_response(status: int, message: str, errors: list[dict] | None = None):
    body: dict[str, Any] = {"message": message}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


def json_body() -> dict[str, Any]:
    """The request's JSON object, or ApiError 400/413 with a clear message."""
    limit = current_app.config.get("MAX_JSON_BYTES", 1024 * 1024)
    if request.content_length and request.content_length > limit:
        raise ApiError(413, _("The request body is too large."))
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise ApiError(413, _("The request body is too large."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("The request body must be a JSON object."))
    return data


def page_args(default_size: int = 20, max_size: int = 100) -> tuple[int, int]:
    """Page number (1-based) and page size from the query string."""
    try:
        page = max(1, int(request.args.get("page", 1)))
        size = min(max_size, max(1, int(request.args.get("page_size", default_size))))
    except ValueError as exc:
        raise ApiError(400, _("page and page_size must be whole numbers.")) from exc
    return page, size


def iso(value: Any) -> Any:
    """ISO 8601 text; datetimes always carry their offset (SQLite returns naive UTC)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat() if value is not None else None


def ok(payload: dict[str, Any], status: int = 200):
    """A JSON success response (FAB's BaseApi.response reserves the name `code`)."""
    return jsonify(payload), status
