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
                    **fields: Any) -> Dossier:
    """A draft under the procedure's published version, with its code and creation event."""
    moment = moment or utcnow()
    dossier = Dossier(code=next_dossier_code(unit.code, moment), procedure=procedure,
                      procedure_version=procedure.current_version, unit=unit,
                      status=Status.DRAFT, created_at=moment, **fields)
    db.session.add(dossier)
    db.session.flush()
    refresh_fee(dossier)
    record_event(dossier, "create", actor_id, status_before=None, status_after=Status.DRAFT,
                 payload=payload)
    return dossier
