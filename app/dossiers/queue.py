"""The officers' work queue: filters, counts per status, remaining working days."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import func, select

from app.core import settings_cache
from app.core.pagination import CursorError, Key, keyset_page
from app.dossiers.effects import local_date, now, remaining_days
from app.dossiers.filters import officer_unit_ids, visible_dossiers
from app.dossiers.models import QUEUE_DUE_ORDER, Dossier
from app.dossiers.status import CLOCK_RUNNING, STATUSES
from app.extensions import db
from app.procedures.models import Procedure, UnitProcedure
from app.security.scope import ADMIN, AUDITOR, role_names
from app.workdays import add_working_days

OPEN = tuple(CLOCK_RUNNING)  # statuses in which the clock can run out
NO_DUE_DATE = dt.date(9999, 12, 31)  # sorts dossiers without a due date last
ORDERS = {
    # The expression of the partial index ix_dossiers_queue_due (app/dossiers/models.py).
    "due": (Key(QUEUE_DUE_ORDER, kind="date"), Key(Dossier.id)),
    "new": (Key(Dossier.id, desc=True),),
}
DUE_WINDOWS = {"today": 0, "3": 3, "5": 5, "10": 10}
# Rows per page, most urgent first, then "Next": Superset's lists show 25 too. Measured at
# 1,000,000 dossiers (docs/performance.md): 50 rows cost a page p95 54 ms, 25 rows 48 ms.
PAGE_SIZE = 25


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


@dataclass(frozen=True, slots=True)
class ListedProcedure:
    code: str
    name: str
    name_en: str | None


@dataclass(frozen=True, slots=True)
class ListedDossier:
    """What a queue row shows of a dossier, read as plain columns (no ORM object per row)."""

    code: str
    status: str
    parent_id: int | None
    received_at: dt.datetime | None
    due_date: dt.date | None
    clock_stopped_at: dt.datetime | None
    unit_id: int
    procedure: ListedProcedure
    assignee: str | None  # the assigned officer's user name


@dataclass
class QueueRow:
    dossier: ListedDossier
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


# What a queue row shows, and no more: a dossier row holds its declaration and three other
# JSON documents, its procedure the form's definitions; decoding them cost most of the page,
# and building an ORM object per row (with its procedure and assignee) most of the rest.
_LISTED = (Dossier.code, Dossier.status, Dossier.parent_id, Dossier.received_at, Dossier.due_date,
           Dossier.clock_stopped_at, Dossier.unit_id, Dossier.id,
           Procedure.code.label("procedure_code"), Procedure.name.label("procedure_name"),
           Procedure.name_en.label("procedure_name_en"), User.username.label("assignee"))


def _listed(row: Any) -> ListedDossier:
    return ListedDossier(row.code, row.status, row.parent_id, row.received_at, row.due_date,
                         row.clock_stopped_at, row.unit_id,
                         ListedProcedure(row.procedure_code, row.procedure_name,
                                         row.procedure_name_en), row.assignee)


def load_queue(user: Any, f: QueueFilters) -> tuple[list[QueueRow], dict[str, int], str | None]:
    """(rows of the page, counts per status, cursor of the next page)."""
    today = local_date(now())
    stmt = (_filtered(user, f, today).with_only_columns(*_LISTED)
            .join(Procedure, Procedure.id == Dossier.procedure_id)
            .outerjoin(User, User.id == Dossier.assignee_id))

    def key(row: Any) -> tuple:
        return (row.due_date or NO_DUE_DATE, row.id) if f.sort == "due" else (row.id,)

    try:
        page = keyset_page(stmt, ORDERS[f.sort], f.after or None, PAGE_SIZE, key, scalars=False)
    except CursorError:
        page = keyset_page(stmt, ORDERS[f.sort], None, PAGE_SIZE, key, scalars=False)
    listed = [_listed(r) for r in page.items]
    rows = [QueueRow(d, remaining_days(d, today) if d.status in OPEN else None) for d in listed]
    return rows, status_counts(user, f, today), page.next_cursor


def procedures_in_scope(user: Any) -> tuple[tuple[str, str], ...]:
    """(code, name) of the procedures the filter offers: those ever offered at the officer's
    units (withdrawn offerings too: their dossiers stay in the queue), every procedure for
    those who see all units. Configuration, not dossiers: kept under the settings revision."""
    units = None if role_names(user) & {ADMIN, AUDITOR} else officer_unit_ids(user)

    def compute() -> tuple[tuple[str, str], ...]:
        stmt = select(Procedure.code, Procedure.name).order_by(Procedure.sort_name)
        if units is not None:
            stmt = stmt.where(Procedure.id.in_(select(UnitProcedure.procedure_id)
                                               .where(UnitProcedure.unit_id.in_(units or (0,)))))
        return tuple((code, name) for code, name in db.session.execute(stmt))

    return settings_cache.cached(("queue_procedures", units), compute)
