"""Shared machinery of the JSON API: errors, request bodies checked against their schema, and
an OpenAPI document that names every request body and path parameter."""
from __future__ import annotations

import functools
import re
from datetime import datetime, timezone
from typing import Any, Callable

from apispec import APISpec
from apispec.exceptions import DuplicateComponentNameError
from flask import current_app, jsonify, request
from flask_appbuilder.api import BaseApi
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


def invalid(errors: list[dict]) -> ApiError:
    """The 422 of a request whose fields are wrong, each error at its JSON pointer."""
    return ApiError(422, _("Some of the information is not valid."), errors)


def json_body() -> dict[str, Any]:
    """The request's JSON object; ApiError 400/413 otherwise."""
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


MAX_PAGE = 10 ** 6


def page_args(default_size: int = 20, max_size: int = 100) -> tuple[int, int]:
    """Page number (1-based) and page size from the query string; out of range is a 400."""
    try:
        page = int(request.args.get("page", 1))
        size = int(request.args.get("page_size", default_size))
    except ValueError as exc:
        raise ApiError(400, _("page and page_size must be whole numbers.")) from exc
    if not (1 <= page <= MAX_PAGE and 1 <= size <= max_size):
        raise ApiError(400, _("page must be at least 1 and page_size from 1 to %(max)d.", max=max_size))
    return page, size


def page_size_arg(args: Any, default: int, max_size: int = 100) -> int:
    """`page_size` of a keyset list from the query string; not a number or out of range is a 400."""
    try:
        size = int(args.get("page_size", default))
    except (TypeError, ValueError):
        raise ApiError(400, _("page_size must be a whole number.")) from None
    if not 1 <= size <= max_size:
        raise ApiError(400, _("page_size must be from 1 to %(max)d.", max=max_size))
    return size


def iso(value: Any) -> Any:
    """ISO 8601 text; datetimes always carry their offset (SQLite returns naive UTC)."""
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat() if value is not None else None


def ok(payload: dict[str, Any], status: int = 200):
    """A JSON success response (FAB's BaseApi.response reserves the name `code`)."""
    return jsonify(payload), status


def body(component: str, content_type: str = "application/json", **alternatives: str) -> Callable:
    """Declare the request body of an endpoint: a component schema of its API class; an
    endpoint that also takes another media type names it as `multipart="Component"`."""
    def decorator(fn: Callable) -> Callable:
        fn._request_body = [(component, content_type)] + [
            (name, MEDIA_TYPES[kind]) for kind, name in alternatives.items()]
        return fn
    return decorator


MEDIA_TYPES = {"multipart": "multipart/form-data", "json": "application/json"}


def query_enum(name: str, values: Any) -> Callable:
    """Publish the values a query filter accepts (kept where the domain defines them); an
    empty value, as a filter form sends it, means no filter."""
    def decorator(fn: Callable) -> Callable:
        fn._query_enums = {**getattr(fn, "_query_enums", {}), name: ["", *values]}
        return fn
    return decorator


def handled(fn: Callable) -> Callable:
    """Turn ApiError and domain errors (anything with .status/.message/.errors) into JSON."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return fn(*args, **kwargs)
        except ApiError as exc:
            return error_response(exc.status, exc.message, exc.errors)
        except Exception as exc:
            status = getattr(exc, "status", None)
            if isinstance(status, int) and hasattr(exc, "message"):
                return error_response(status, exc.message, getattr(exc, "errors", None))
            raise
    return wrapper


PATH_PARAM = re.compile(r"<(?:(?P<conv>[^:<>]+):)?(?P<name>[^<>]+)>")
CONVERTERS = {"int": {"type": "integer", "minimum": 0}, "path": {"type": "string"}}

# The error shape of CONTRACT.md, and the answers any operation may give besides its own.
ERROR_SCHEMA = {"type": "object", "required": ["message"], "properties": {
    "message": {"type": "string"},
    "errors": {"type": "array", "items": {"type": "object", "required": ["path", "message"], "properties": {
        "path": {"type": "string", "description": "JSON pointer into the request body"},
        "message": {"type": "string"}}}}}}
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
COMMON_RESPONSES = {
    "400": "The request is malformed (not JSON, or a query parameter of the wrong type)",
    "401": "Not logged in, or the token is missing, malformed or expired",
    "403": "Logged in, but not allowed to do this",
    "404": "Nothing of that name that the caller may see",
    "405": "This method is not allowed here (see the Allow header)",
    "413": "The request body is too large",
    "415": "The content type is not one this operation accepts",
    "422": "Field errors: each names a JSON pointer into the request",
    "429": "Too many requests: retry after the Retry-After header's seconds",
    "503": "The database is unavailable: retry after the Retry-After header's seconds",
}


class RestApi(BaseApi):
    """FAB's BaseApi whose OpenAPI document carries every body and path parameter."""

    # Component name → JSON Schema (the OpenAPI 3.0 subset), used to check and to document.
    request_schemas: dict[str, dict[str, Any]] = {}

    def add_apispec_components(self, api_spec: APISpec) -> None:
        super().add_apispec_components(api_spec)
        for name, schema in {"Error": ERROR_SCHEMA, **self.request_schemas}.items():
            try:
                api_spec.components.schema(name, component=schema)
            except DuplicateComponentNameError:
                pass

    def operation_helper(self, path=None, operations=None, methods=None, func=None, **kwargs):
        super().operation_helper(path=path, operations=operations, methods=methods, func=func,
                                 **kwargs)
        url = next((u for u, _m in getattr(func, "_urls", ()) if self.path_helper(path=u) == path), "")
        declared = [{"in": "path", "name": m["name"], "required": True,
                     "schema": CONVERTERS.get(m["conv"] or "", {"type": "string", "maxLength": 100})}
                    for m in PATH_PARAM.finditer(url)]
        for operation in operations.values():
            known = {p.get("name") for p in operation.get("parameters", []) if p.get("in") == "path"}
            operation.setdefault("parameters", [])
            operation["parameters"][:0] = [p for p in declared if p["name"] not in known]
            if not operation["parameters"]:
                del operation["parameters"]
            # YAML reads `404:` as a number: one key per status, the operation's own first
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code, description in COMMON_RESPONSES.items():
                responses.setdefault(code, {"description": description, "content": _ERROR})
            for parameter in operation.get("parameters", []):
                values = getattr(func, "_query_enums", {}).get(parameter.get("name"))
                if values and parameter.get("in") == "query":
                    parameter["schema"] = {**parameter.get("schema", {}), "enum": values}
            component = getattr(func, "_request_body", None)
            if component and "requestBody" not in operation:
                operation["requestBody"] = {"required": True, "content": {
                    content_type: {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    for name, content_type in component}}
