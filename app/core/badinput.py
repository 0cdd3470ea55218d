"""Bad input answers 4xx with a message, never 500: numbers too big for the database, JSON that
is too deep or not JSON (NaN, Infinity, 1e400, lone surrogates), FAB's list arguments."""
from __future__ import annotations

import json
import math
import re
from typing import Any

from flask import Flask, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from app.core.api import ApiError, error_response

BIGINT_MAX = 2 ** 63 - 1
MAX_QUERY_INT = 10 ** 9
SURROGATE = re.compile("[\ud800-\udfff]")
FAB_NUMBER_ARG = re.compile(r"^(page|psize)_\w+$")


class BoundedIntConverter(IntegerConverter):
    """<int:…> that no database column overflows: a bigger number is simply not found (404).

    A number over the limit becomes 0, which no row has, rather than failing the match: a
    failed match made werkzeug answer 405 when another method shares the rule's path."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return 0 if number > BIGINT_MAX else number


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


def _check_strings(value: Any) -> None:
    """Lone surrogates cannot be stored or sent back as UTF-8."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                raise ValueError("lone surrogate in a string")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class StrictJSONProvider(DefaultJSONProvider):
    """JSON as RFC 8259 says: no NaN/Infinity, no overflowing numbers, no lone surrogates."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", _reject_constant)
        kwargs.setdefault("parse_float", _finite)
        try:
            value = json.loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc
        _check_strings(value)
        return value


def _number_too_large(_error: Exception):
    from app.extensions import db

    db.session.rollback()
    return _bad(_("A value in the request is too large or not valid."))


def _bad(message: str, status: int = 400):
    from app.core.errors import handle_http_error, wants_json

    if wants_json():
        return error_response(status, message)
    return handle_http_error(BadRequest())


def _api_error(error: ApiError):
    return error_response(error.status, error.message, error.errors)


# Endpoints whose `page` is a keyset cursor (an opaque string), not a page number.
CURSOR_PAGE_ENDPOINTS: set[str] = set()


def page_is_a_cursor(*endpoints: str) -> None:
    """Declare endpoints whose `page` query argument is a keyset cursor."""
    CURSOR_PAGE_ENDPOINTS.update(endpoints)


def _check_list_arguments():
    """FAB's list pages read page_/psize_ with int() and sort by any _oc_ column they are given;
    a ?next= with control characters would end in a Location header."""
    for name, value in request.args.items(multi=True):
        if name == "next" and any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            # FAB's own redirect check lets CR/LF through into the Location header.
            return _bad(_("The request could not be understood."))
        if name == "page" and request.endpoint in CURSOR_PAGE_ENDPOINTS:
            continue
        if FAB_NUMBER_ARG.match(name) or name in ("page", "page_size"):
            if value and not (value.isdigit() and int(value) <= MAX_QUERY_INT):
                return _bad(_("page and page_size must be whole numbers."))
        elif name.startswith("_oc_"):
            view_name = name[len("_oc_"):]
            views = [v for v in current_app.appbuilder.baseviews if type(v).__name__ == view_name]
            if views and value not in (getattr(views[0], "order_columns", None) or ()):
                return _bad(_("This list cannot be sorted by that column."))
    return None


def register_converters(app: Flask) -> None:
    """Before any route is added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = StrictJSONProvider(app)


def _no_such_file(**_kwargs):
    abort(404)


def close_fab_downloads(app: Flask) -> None:
    """FAB's /<view>/download/<filename> serves file columns we do not have (and crashes on any
    name): nothing to download there."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith(".download") and "/download/<" in rule.rule \
                and getattr(app.view_functions.get(rule.endpoint), "__qualname__", "").endswith("ModelView.download"):
            app.view_functions[rule.endpoint] = _no_such_file


def register(app: Flask) -> None:
    close_fab_downloads(app)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(OverflowError, _number_too_large)
    app.register_error_handler(DataError, _number_too_large)
    app.before_request(_check_list_arguments)
