"""Lists of dossiers that can grow without bound, paged by keyset (app.core.pagination)."""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload, load_only

from app.core.api import ApiError, page_size_arg
from app.core.pagination import DEFAULT_SIZE, MAX_SIZE, CursorError, Key, Page, keyset_page
from app.dossiers.filters import visible_dossiers
from app.dossiers.models import Dossier
from app.dossiers.serializers import dossier_summary
from app.dossiers.status import STATUSES
from app.extensions import db
from app.procedures.models import Procedure
from app.units.models import AdministrativeUnit

NEWEST_FIRST = (Key(Dossier.id, desc=True),)


# What dossier_summary shows: not the declaration, the other JSON documents of the dossier nor
# the procedure's definitions (their decoding was most of a page's cost).
_SUMMARY = (
    load_only(Dossier.code, Dossier.status, Dossier.created_at, Dossier.submitted_at,
              Dossier.received_at, Dossier.due_date, Dossier.completed_at, Dossier.version,
              Dossier.channel, Dossier.due_at, Dossier.register_number, Dossier.register_year,
              Dossier.procedure_id, Dossier.unit_id),
    joinedload(Dossier.procedure).load_only(Procedure.code),
    joinedload(Dossier.unit).load_only(AdministrativeUnit.code),
)


def newest_first(stmt, cursor: str | None, size: int, options: tuple = ()) -> Page:
    """A page of dossiers, newest first, with what their summaries show loaded at once
    (`options`: what to load; by default the procedure and unit with all they hold)."""
    stmt = stmt.options(*(options or (joinedload(Dossier.procedure), joinedload(Dossier.unit),
                                      defer(Dossier.data))))
    try:
        return keyset_page(stmt, NEWEST_FIRST, cursor, size, lambda d: (d.id,))
    except CursorError:
        raise ApiError(400, _("This page link is not valid; start from the first page.")) from None


def api_page(user: Any, args: Mapping[str, Any]) -> dict[str, Any]:
    """GET /api/v1/dossiers: the caller's scope, filtered by status and unit."""
    stmt = visible_dossiers(user)
    status = args.get("status")
    if status:
        if status not in STATUSES:
            raise ApiError(422, _("Some of the information is not valid."),
                           [{"path": "/status", "message": _("Unknown status.")}])
        stmt = stmt.where(Dossier.status == status)
    if args.get("unit"):
        unit_id = db.session.scalar(select(AdministrativeUnit.id).where(
            AdministrativeUnit.code == args["unit"]))
        stmt = stmt.where(Dossier.unit_id == unit_id)
    page = newest_first(stmt, args.get("after"), page_size_arg(args, DEFAULT_SIZE, MAX_SIZE),
                        _SUMMARY)
    return {"result": [dossier_summary(d) for d in page.items], "count": len(page.items),
            "next_cursor": page.next_cursor}
