"""One unit of work per request or command: operations only flush; this commits once.

Like Indico's commit per request: a request that ends without an exception (status < 500)
commits its session once, then the after-commit hooks run (the outbox registers the inline
delivery of the notifications the request queued). Commands and jobs use `transaction()`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response

from app.extensions import db

log = logging.getLogger(__name__)
AFTER_COMMIT: list[Callable[[], None]] = []


def after_commit(fn: Callable[[], None]) -> Callable[[], None]:
    """Register a hook run after every successful commit of a unit of work."""
    if fn not in AFTER_COMMIT:
        AFTER_COMMIT.append(fn)
    return fn


def commit() -> None:
    """Commit the session, then run the after-commit hooks (their failures are only logged)."""
    db.session.commit()
    for hook in AFTER_COMMIT:
        try:
            hook()
        except Exception:  # noqa: BLE001 - what was committed stays committed
            db.session.rollback()
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
    """Commit each request's unit of work before its response leaves."""

    @app.after_request
    def commit_request(response: Response) -> Response:
        if response.status_code >= 500:
            db.session.rollback()
            return response
        commit()
        return response
