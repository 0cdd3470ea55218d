"""What administrators configure (fee settings, offerings' fees, notification texts, working
calendars and the units they apply to), read once per process and read again as soon as any of
it changes — the permissions' scheme (app/security/permissions.py) for the settings a filing
and a queue read.

A worker keeps answers computed from those rows in a bounded memo, labelled with one revision
number. Any ORM change of a watched model bumps the stored revision in the same transaction;
every request learns the revision (with its user, in the one principal statement of
app/security/manager.py, or by one primary-key read), and a worker whose memo carries another
revision drops it. A transaction that changed settings itself reads them directly and stores
nothing: what it sees may still roll back.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import g, has_request_context
from flask_appbuilder import Model
from sqlalchemy import Integer, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

T = TypeVar("T")
CHANGED = "settings_changed"  # session.info: this transaction changed watched rows
SIZE = 20_000  # answers kept per process (one per unit, procedure and province, or per text)
WATCHED: list[type] = []  # models whose rows the memo's answers are computed from


class SettingsRevision(Model):
    """One row: bumped whenever a watched row changes."""

    __tablename__ = "settings_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


def watch(*models: type) -> None:
    """Register models whose changes make the memo's answers wrong (their packages call it)."""
    WATCHED.extend(m for m in models if m not in WATCHED)


def revision_sql():
    """The stored revision as a scalar subquery (to ride on another statement)."""
    return select(SettingsRevision.revision).where(SettingsRevision.id == 1).scalar_subquery()


def _holder() -> dict:
    return g.setdefault("_settings", {}) if has_request_context() else \
        db.session().info.setdefault("_settings", {})


def remember(value: int | None) -> None:
    """The revision as this request read it (alone, or with its user)."""
    _holder()["revision"] = value or 0


def current_revision() -> int:
    """The stored revision, read at most once per request (per transaction outside requests)."""
    holder = _holder()
    if "revision" not in holder:
        holder["revision"] = db.session.scalar(select(revision_sql())) or 0
    return holder["revision"]


class _Memo:
    def __init__(self) -> None:
        self.revision: int | None = None
        self.values: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        session = db.session()
        if _changing(session):
            return compute()
        revision = current_revision()
        with self.lock:
            if revision != self.revision:
                self.values.clear()
                self.revision = revision
            elif key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        value = compute()
        if _changing(session):  # its query flushed a change of this transaction
            return value
        with self.lock:
            if self.revision == revision:
                self.values[key] = value
                while len(self.values) > SIZE:
                    self.values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.values.clear()
            self.revision = None


MEMO = _Memo()


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or its answer as this process last computed it at the current revision.
    The answer must be a pure function of the watched rows (and of the key) and immutable."""
    return MEMO.get(key, compute)


def _changing(session: Session) -> bool:
    """This transaction changed watched rows, or holds such changes not yet flushed."""
    if session.info.get(CHANGED):
        return True
    pending = (*session.new, *session.dirty, *session.deleted)
    return bool(WATCHED) and any(isinstance(obj, tuple(WATCHED)) for obj in pending)


def bump(connection: Any) -> None:
    """Tell every worker that settings changed (part of the caller's transaction)."""
    table = SettingsRevision.__table__
    done = connection.execute(update(table).where(table.c.id == 1)
                              .values(revision=table.c.revision + 1)).rowcount
    if not done:
        connection.execute(table.insert().values(id=1, revision=1))


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context: Any, _instances: Any) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if WATCHED and any(isinstance(obj, tuple(WATCHED)) for obj in touched):
        session.info[CHANGED] = "pending"


def _bump_in(session: Session) -> None:
    """Bump within the session's transaction; it reads settings directly from now on."""
    bump(session.connection())
    session.info[CHANGED] = True
    _holder().pop("revision", None)


@event.listens_for(Session, "after_flush")
def _bump_on_changes(session: Session, _context: Any) -> None:
    if session.info.get(CHANGED) == "pending":
        _bump_in(session)


@event.listens_for(Session, "do_orm_execute")
def _bump_on_bulk_changes(state: Any) -> None:
    """An UPDATE, DELETE or INSERT statement on a watched model (not objects flushed) changes
    settings too: bumped before it runs, in its transaction."""
    if not (WATCHED and (state.is_update or state.is_delete or state.is_insert)):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, tuple(WATCHED)):
        _bump_in(state.session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
        session.info.pop("_settings", None)
