"""One unit of work per request or command: operations only flush; this commits once.

Like Indico's commit per request: a request that ends without an exception (status < 500)
commits its session once, then the after-commit hooks run (the outbox registers the inline
delivery of the notifications the request queued). Commands and jobs use `transaction()`.

A commit whose answer is lost with the connection is not reported as a failure when it did
reach the database: on PostgreSQL the transaction's id is read before committing and its fate
asked afterwards (`txid_status`). Only a commit that certainly failed, or whose fate cannot be
learnt, answers 503, and the second one says so.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, Response
from sqlalchemy import event, func, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session

from app.core import outage
from app.extensions import db

log = logging.getLogger(__name__)
AFTER_COMMIT: list[Callable[[], None]] = []
WROTE = "uow_may_have_written"
XID = "uow_transaction_id"  # PostgreSQL's id of the open transaction, when a write returned it


class CommitFailed(Exception):
    """The database did not confirm the commit; `uncertain` when it may have happened anyway."""

    def __init__(self, uncertain: bool):
        super().__init__("commit not confirmed" if uncertain else "commit failed")
        self.uncertain = uncertain


def after_commit(fn: Callable[[], None]) -> Callable[[], None]:
    """Register a hook run after every successful commit of a unit of work."""
    if fn not in AFTER_COMMIT:
        AFTER_COMMIT.append(fn)
    return fn


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """Anything but a SELECT (an UPDATE, a text() statement…) may have written."""
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: Any) -> None:
    """Only the outermost transaction's end forgets (a savepoint's writes stay its parent's)."""
    if transaction.parent is None:
        session.info.pop(WROTE, None)
        session.info.pop(XID, None)


def execute_write(session: Session, stmt: Any, *returning: Any) -> tuple:
    """Execute a writing Core statement and return the row of its `returning` columns. On
    PostgreSQL the transaction's id rides on the same RETURNING and is kept for the commit's
    fate check, which then spends no round trip of its own (`_transaction_id`)."""
    if session.get_bind().dialect.name != "postgresql":
        if not returning:
            session.execute(stmt)
            return ()
        return tuple(session.execute(stmt.returning(*returning)).one())
    row = session.execute(stmt.returning(*returning, func.txid_current())).one()
    note_write(session, row[-1])
    return tuple(row[:-1])


def note_write(session: Session, xid: int) -> None:
    """A statement wrote and returned the transaction's id (PostgreSQL): kept for the commit's
    fate check. execute_write's writes, and a SELECT carrying a data-modifying CTE (which the
    session takes for a read)."""
    session.info[WROTE] = True
    session.info[XID] = xid


@contextmanager
def atomic() -> Iterator[None]:
    """All or nothing for the block: a savepoint — or, when the transaction has written nothing
    yet, holds no pending change and is no caller's savepoint, the transaction itself, rolled
    back whole on failure (the same outcome, without the SAVEPOINT and RELEASE round trips)."""
    session = db.session()
    if session.info.get(WROTE) or session.in_nested_transaction() or session.new \
            or session.dirty or session.deleted:
        with session.begin_nested():
            yield
        return
    try:
        yield
    except BaseException:
        session.rollback()
        raise


def _transaction_id(session: Session) -> int | None:
    """PostgreSQL's id of the open transaction if it wrote anything (flushing first), else None.

    A unit of work that only read (most requests) has nothing to settle: no query is spent.
    """
    if not session.in_transaction() or session.get_bind().dialect.name != "postgresql":
        return None
    session.flush()
    if not session.info.get(WROTE):
        return None
    if session.info.get(XID) is not None:
        return session.info[XID]
    return session.execute(text("SELECT txid_current_if_assigned()")).scalar()


def _fate(xid: int) -> str:
    """"committed", "aborted" or "unknown": asked on a fresh connection after a lost answer."""
    for attempt in range(3):
        try:
            with db.engine.connect() as connection:
                status = connection.execute(text("SELECT txid_status(:xid)"), {"xid": xid}).scalar()
            if status in ("committed", "aborted"):
                return status
        except SQLAlchemyError as exc:
            log.warning("cannot learn the fate of transaction %s yet: %s", xid, exc)
        time.sleep(0.2 * (attempt + 1))  # "in progress": its backend is still ending
    return "unknown"


def _settle_committed(session: Session) -> None:
    """The COMMIT reached the database though its answer was lost: settle it as committed."""
    carried = dict(session.info)
    session.info.clear()  # so rollback listeners do not undo what belongs to committed rows
    try:
        session.rollback()
    except SQLAlchemyError:
        session.close()
    session.info.update(carried)
    session.dispatch.after_commit(session)


def commit() -> None:
    """Commit the session, then run the after-commit hooks (their failures are only logged).

    Raises CommitFailed when the database is unreachable and the commit did not (or may not)
    take place; any other error propagates after a rollback.
    """
    session = db.session()
    try:
        xid = _transaction_id(session)
    except SQLAlchemyError as exc:
        if not outage.is_database_unavailable(exc):
            raise
        outage.reset_session()  # nothing was committed: COMMIT was never sent
        raise CommitFailed(uncertain=False) from exc
    try:
        session.commit()
    except SQLAlchemyError as exc:
        if not outage.is_database_unavailable(exc):
            raise
        fate = _fate(xid) if xid is not None else "aborted"
        log.warning("commit interrupted (%s); transaction %s %s", exc, xid, fate)
        if fate != "committed":
            outage.reset_session()
            raise CommitFailed(uncertain=fate == "unknown") from exc
        _settle_committed(session)
    for hook in AFTER_COMMIT:
        try:
            hook()
        except Exception:  # noqa: BLE001 - what was committed stays committed
            outage.reset_session()
            log.exception("after-commit hook %s failed", getattr(hook, "__name__", hook))


@contextmanager
def transaction() -> Iterator[None]:
    """A unit of work for commands and jobs: commit at the end, roll back on any error."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    commit()


def init_app(app: Flask) -> None:
    """Commit each request's unit of work before its response leaves; outages answer 503."""
    outage.register(app)

    @app.after_request
    def commit_request(response: Response) -> Response:
        if response.status_code >= 500:
            try:
                db.session.rollback()
            except SQLAlchemyError:  # the connection is gone: nothing to undo
                pass
            if response.status_code == 500 and outage.met_outage():
                return outage.unavailable_response(replacing=response)
            return response
        try:
            commit()
        except CommitFailed as exc:
            return outage.unavailable_response(uncertain=exc.uncertain, replacing=response)
        return response
