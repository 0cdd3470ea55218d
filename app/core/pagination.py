"""One way to page through lists that can grow: keyset pagination (no OFFSET scans).

A page is fetched with `WHERE (k1, k2, …) > (last values)` in the list's own order, so the
thousandth page costs what the first does. The cursor is the last row's key, URL-safe.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Callable, Generic, Sequence, TypeVar

from sqlalchemy import Select, and_, or_, tuple_
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db

T = TypeVar("T")
DEFAULT_SIZE, MAX_SIZE = 20, 100


class CursorError(ValueError):
    """A cursor that this list did not hand out."""


@dataclass(frozen=True)
class Key:
    """One column of a list's order; `desc` for newest-first."""

    column: ColumnElement[Any]
    desc: bool = False
    kind: str = "int"  # how the cursor carries the value: int, str or date

    def order(self) -> ColumnElement[Any]:
        return self.column.desc() if self.desc else self.column.asc()

    def after(self, value: Any) -> ColumnElement[bool]:
        return self.column < value if self.desc else self.column > value

    def encode(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    def decode(self, value: Any) -> Any:
        if self.kind == "date":
            return dt.date.fromisoformat(value)
        if self.kind == "int" and not (isinstance(value, int) and not isinstance(value, bool)):
            raise CursorError(value)
        if self.kind == "str" and not isinstance(value, str):
            raise CursorError(value)
        return value


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence[Key]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            raise CursorError(cursor)
        return [key.decode(value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError) as exc:
        raise CursorError(cursor) from exc


def _after(keys: Sequence[Key], values: Sequence[Any]) -> ColumnElement[bool]:
    """(k1, k2, …) strictly after (v1, v2, …) in the list's order.

    Keys all in one direction compare as one row value, `(k1, k2) > (v1, v2)`, which
    PostgreSQL turns into a single index range; mixed directions expand into OR terms.
    """
    if len(keys) > 1 and len({key.desc for key in keys}) == 1:
        left, right = tuple_(*(k.column for k in keys)), tuple_(*values)
        return left < right if keys[0].desc else left > right
    clauses = []
    for i, key in enumerate(keys):
        equal = [keys[j].column == values[j] for j in range(i)]
        clauses.append(and_(*equal, key.after(values[i])))
    return or_(*clauses)


def keyset_after_values(keys: Sequence[Key], values: Sequence[Any]) -> ColumnElement[bool]:
    """The condition "after these key values" in the order of `keys` (values or bound
    parameters), for a statement that pages itself: a grouping paged inside a larger one."""
    return _after(keys, values)


def keyset_page(stmt: Select, keys: Sequence[Key], cursor: str | None, size: int,
                key_of: Callable[[Any], Sequence[Any]], scalars: bool = True) -> Page:
    """One page of `stmt` in the order of `keys`, starting after `cursor`."""
    size = max(1, min(MAX_SIZE, size))
    if cursor:
        stmt = stmt.where(_after(keys, decode_cursor(cursor, keys)))
    stmt = stmt.order_by(*(key.order() for key in keys)).limit(size + 1)
    rows = list(db.session.scalars(stmt) if scalars else db.session.execute(stmt))
    more = len(rows) > size
    rows = rows[:size]
    last = [k.encode(v) for k, v in zip(keys, key_of(rows[-1]), strict=True)] if more else None
    return Page(rows, encode_cursor(last) if last else None)
