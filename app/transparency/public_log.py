"""The public dossier log (công khai hồ sơ): every filed dossier, nothing personal.

It reads only `public_dossiers` (written by the transitions, holding no personal data) joined
with the catalogue's names, newest first, paged by keyset on the dossier id; each filter has
an index ending with that id, so every page costs the same whatever the number of dossiers."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.api import ApiError, iso, page_size_arg
from app.core.pagination import CursorError, Key, keyset_page
from app.dossiers.effects import local_date, now
from app.dossiers.status import CHANNEL_LABELS, CLOCK_RUNNING, Status, status_label
from app.procedures.models import Procedure
from app.transparency.filters import PublicFilters
from app.transparency.models import PublicDossier
from app.units.models import AdministrativeUnit

ORDER = (Key(PublicDossier.dossier_id, desc=True),)
PAGE_SIZE = 20
TIMELINESS_LABELS = {
    "on_time": _l("On time"), "late": _l("Late"), "overdue": _l("Overdue"),
    "in_time": _l("Within the deadline"), "paused": _l("Clock stopped (supplement)"), "": "—",
}


def timeliness(row: Any, today: dt.date) -> str:
    """on_time / late (returned), overdue (open past its due date), in_time, paused, or ''."""
    status = Status(row.status)
    if status is Status.RETURNED:
        return "on_time" if row.on_time and not row.late else "late"
    if status in CLOCK_RUNNING and row.due_date is not None:
        if row.due_date < today:
            return "overdue"
        return "late" if row.late else "in_time"
    if status is Status.NEEDS_SUPPLEMENT and row.received_at is not None:
        return "paused"
    return ""


# The columns a line shows, read as plain values (no ORM object per line).
_LISTED = (PublicDossier.dossier_id, PublicDossier.code, PublicDossier.channel,
           PublicDossier.applicant, PublicDossier.status, PublicDossier.submitted_at,
           PublicDossier.received_at, PublicDossier.due_date, PublicDossier.completed_at,
           PublicDossier.on_time, PublicDossier.late, Procedure.code.label("procedure_code"),
           Procedure.name.label("procedure_name"), Procedure.name_en.label("procedure_name_en"),
           AdministrativeUnit.code.label("unit_code"), AdministrativeUnit.name.label("unit_name"))


def page(filters: PublicFilters, cursor: str | None, size: int = PAGE_SIZE):
    """One page of the log: (rows as dicts, next cursor)."""
    stmt = (select(*_LISTED)
            .join(Procedure, Procedure.id == PublicDossier.procedure_id)
            .join(AdministrativeUnit, AdministrativeUnit.id == PublicDossier.unit_id))
    if filters.province is not None:
        stmt = stmt.where(PublicDossier.province_id == filters.province.id)
    if filters.unit is not None:
        stmt = stmt.where(PublicDossier.unit_id == filters.unit.id)
    if filters.procedure is not None:
        stmt = stmt.where(PublicDossier.procedure_id == filters.procedure.id)
    if filters.status:
        stmt = stmt.where(PublicDossier.status == filters.status)
    if filters.month_from is not None:
        stmt = stmt.where(PublicDossier.month >= filters.month_from)
    if filters.month_to is not None:
        stmt = stmt.where(PublicDossier.month <= filters.month_to)
    try:
        result = keyset_page(stmt, ORDER, cursor, size, lambda r: (r.dossier_id,), scalars=False)
    except CursorError:
        raise ApiError(400, _("This page link is not valid; start from the first page.")) from None
    today, labels = local_date(now()), Labels()
    return [entry(row, row.procedure_code, row.procedure_name, row.procedure_name_en,
                  row.unit_code, row.unit_name, today=today, labels=labels)
            for row in result.items], result.next_cursor


class Labels(dict):
    """The words of one page in the reader's language, each translated once, not per line."""

    def __missing__(self, key: tuple[str, str]) -> str:
        kind, value = key
        if kind == "channel":
            text = str(CHANNEL_LABELS.get(value, value))
        elif kind == "status":
            text = status_label(value)
        else:
            text = str(TIMELINESS_LABELS[value])
        self[key] = text
        return text


def entry(row: Any, procedure_code: str, procedure_name: str, procedure_name_en: str | None,
          unit_code: str, unit_name: str, *, today: dt.date, labels: Labels | None = None
          ) -> dict[str, Any]:
    """One line of the log: exactly what the public may know."""
    labels = Labels() if labels is None else labels
    when = timeliness(row, today)
    return {
        "code": row.code,
        "procedure": {"code": procedure_code, "name": procedure_name, "name_en": procedure_name_en},
        "unit": {"code": unit_code, "name": unit_name},
        "channel": row.channel, "channel_label": labels["channel", row.channel],
        "applicant": row.applicant,
        "status": row.status, "status_label": labels["status", row.status],
        "national_status": Status(row.status).national,
        "submitted_at": iso(row.submitted_at), "received_at": iso(row.received_at),
        "due_date": iso(row.due_date), "completed_at": iso(row.completed_at),
        "timeliness": when, "timeliness_label": labels["timeliness", when],
    }


MAX_PAGE_SIZE = 100


def size_arg(args: Mapping[str, Any]) -> int:
    return page_size_arg(args, PAGE_SIZE, MAX_PAGE_SIZE)
