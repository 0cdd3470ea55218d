"""New dossier rows: a draft with its code and its first history event."""
from __future__ import annotations

import datetime as dt
from typing import Any

from app.core.types import utcnow
from app.dossiers.codes import next_dossier_code
from app.dossiers.fees import refresh_fee
from app.dossiers.history import record_event
from app.dossiers.models import Dossier
from app.dossiers.status import Status
from app.extensions import db


def new_dossier_row(procedure: Any, unit: Any, actor_id: int | None, *,
                    moment: dt.datetime | None = None, payload: dict | None = None,
                    version_id: int | None = None, code: str | None = None,
                    **fields: Any) -> Dossier:
    """A draft under the procedure's published version (`version_id` when the caller read it),
    with its code (`code` when the caller claimed its number), its fee and its creation event:
    one INSERT of each row."""
    moment = moment or utcnow()
    db.session.flush()  # what the caller changed is visible to the fee's query below
    version = {"procedure_version_id": version_id} if version_id is not None else \
        {"procedure_version": procedure.current_version}
    dossier = Dossier(code=code or next_dossier_code(unit.code, moment), procedure=procedure,
                      procedure_id=procedure.id, unit=unit, unit_id=unit.id, status=Status.DRAFT,
                      created_at=moment, **version, **fields)
    with db.session.no_autoflush:  # the row is written once, with its fee and history head
        refresh_fee(dossier)
    record_event(dossier, "create", actor_id, status_before=None, status_after=Status.DRAFT,
                 payload=payload)
    db.session.add(dossier)
    db.session.flush()
    return dossier
