"""Open drafts and new form versions: which drafts a version refuses, and moving a draft."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.dossiers.models import Dossier
from app.dossiers.status import Status
from app.extensions import db
from app.procedures.operations import fit_data


def unfit_drafts(procedure: Any, version: Any) -> list[Dossier]:
    """Open drafts under another version whose data the version's schema would not accept."""
    drafts = db.session.scalars(select(Dossier).where(
        Dossier.procedure_id == procedure.id, Dossier.status == Status.DRAFT,
        Dossier.procedure_version_id != version.id).order_by(Dossier.id)).all()
    return [d for d in drafts if fit_data(version.schema, d.data)[1]]


def migrate_draft(dossier: Dossier) -> list[str] | None:
    """Move an open draft to the current version keeping what fits; the dropped pointers.

    None when nothing had to move. Called when the citizen edits the draft.
    """
    current = dossier.procedure.current_version
    if dossier.status != Status.DRAFT or current is None \
            or dossier.procedure_version_id == current.id:
        return None
    dossier.data, dropped = fit_data(current.schema, dossier.data)
    dossier.procedure_version = current
    return dropped
