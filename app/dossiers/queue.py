"""The officers' work queue: filters, counts per status, remaining working days."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, load_only

from app.core.pagination import CursorError, Key, keyset_page
from app.dossiers.effects import local_date, now, remaining_days
from app.dossiers.filters import visible_dossiers
from app.dossiers.models import QUEUE_DUE_ORDER, Dossier
from app.dossiers.status import CLOCK_RUNNING, STATUSES
from app.extensions import db
from app.procedures.models import Procedure
from app.workdays import add_working_days

OPEN = tuple(CLOCK_RUNNING)  # statuses in which the clock can run out
NO_DUE_DATE = dt.date(9999, 12, 31)  # sorts dossiers without a due date last
ORDERS = {
    # The expression of the partial index ix_dossiers_queue_due (app/dossiers/models.py).
    "due": (Key(QUEUE_DUE_ORDER, kind="date"), Key(Dossier.id)),
    "new": (Key(Dossier.id, desc=True),),
}
DUE_WINDOWS = {"today": 0, "3": 3, "5": 5, "10": 10}
PAGE_SIZE = 50


@dataclass
class QueueFilters:
    status: str = ""
    procedure: str = ""
    due: str = ""
    overdue: bool = False
    mine: bool = False
    q: str = ""
    sort: str = "due"
    after: str = ""

    @classmethod
    def from_args(cls, args: Any) -> "QueueFilters":
        """Read the query string; unknown values fall back to no filter."""
        status = args.get("status", "")
        due = args.get("due", "")
        return cls(status=status if status in STATUSES else "",
                   procedure=args.get("procedure", "")[:50], due=due if due in DUE_WINDOWS else "",
                   overdue=args.get("overdue") == "1", mine=args.get("mine") == "1",
                   q=args.get("q", "").strip()[:50],
                   sort=args.get("sort") if args.get("sort") in ORDERS else "due",
                   after=args.get("after", "")[:200])


@dataclass
class QueueRow:
    dossier: Dossier
    remaining: int | None

    @property
    def urgency(self) -> str:
        """'overdue', 'due-today' or '' for highlighting."""
        if self.remaining is None or self.dossier.status not in OPEN:
            return ""
        return "overdue" if self.remaining < 0 else ("due-today" if self.remaining == 0 else "")


def _base(user: Any):
    """The user's filed dossiers (drafts, even the counter's, are not in the queue)."""
    return visible_dossiers(user, drafts=False)


def _filtered(user: Any, f: QueueFilters, today: dt.date, with_status: bool = True):
    stmt = _base(user)
    if with_status and f.status:
        stmt = stmt.where(Dossier.status == f.status)
    if f.procedure:
        stmt = stmt.where(Dossier.procedure_id.in_(
            select(Procedure.id).where(Procedure.code == f.procedure)))
    if f.mine:
        stmt = stmt.where(Dossier.assignee_id == user.id)
    if f.q:
        stmt = stmt.where(Dossier.code.ilike(f"%{f.q}%"))
    if f.overdue:
        stmt = stmt.where(Dossier.due_date < today, Dossier.status.in_(OPEN),
                          Dossier.clock_stopped_at.is_(None))
    if f.due:
        # National calendar here; the per-row figure uses the province's own calendar.
        limit = add_working_days(today, DUE_WINDOWS[f.due])
        stmt = stmt.where(Dossier.due_date <= limit, Dossier.status.in_(OPEN))
    return stmt


def status_counts(user: Any, f: QueueFilters, today: dt.date) -> dict[str, int]:
    """How many dossiers per status match the other filters."""
    stmt = _filtered(user, f, today, with_status=False)
    rows = db.session.execute(stmt.with_only_columns(Dossier.status, func.count())
                              .group_by(Dossier.status))
    return {status: count for status, count in rows}


def _key(dossier: Dossier, sort: str) -> tuple:
    return (dossier.due_date or NO_DUE_DATE, dossier.id) if sort == "due" else (dossier.id,)


# What a queue row shows, and no more: a dossier row holds its declaration and three other
# JSON documents, its procedure the form's definitions; decoding them cost most of the page.
_LISTED = (
    load_only(Dossier.code, Dossier.status, Dossier.parent_id, Dossier.received_at,
              Dossier.due_date, Dossier.clock_stopped_at, Dossier.unit_id, Dossier.procedure_id,
              Dossier.assignee_id),
    joinedload(Dossier.procedure).load_only(Procedure.code, Procedure.name, Procedure.name_en),
    joinedload(Dossier.assignee).load_only(User.username),
)


def load_queue(user: Any, f: QueueFilters) -> tuple[list[QueueRow], dict[str, int], str | None]:
    """(rows of the page, counts per status, cursor of the next page)."""
    today = local_date(now())
    stmt = _filtered(user, f, today).options(*_LISTED)
    try:
        page = keyset_page(stmt, ORDERS[f.sort], f.after or None, PAGE_SIZE,
                           lambda d: _key(d, f.sort))
    except CursorError:
        page = keyset_page(stmt, ORDERS[f.sort], None, PAGE_SIZE, lambda d: _key(d, f.sort))
    rows = [QueueRow(d, remaining_days(d, today) if d.status in OPEN else None) for d in page.items]
    return rows, status_counts(user, f, today), page.next_cursor


def procedures_in_scope(user: Any) -> list[tuple[str, str]]:
    """(code, name) of procedures that appear in the user's dossiers, for the filter."""
    sub = _base(user).with_only_columns(Dossier.procedure_id).distinct().subquery()
    rows = db.session.execute(select(Procedure.code, Procedure.name)
                              .where(Procedure.id.in_(select(sub.c.procedure_id)))
                              .order_by(Procedure.sort_name))
    return [(code, name) for code, name in rows]
