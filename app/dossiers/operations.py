"""Business rules of dossiers: create, edit, and act through the state machine."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.core.types import utcnow
from app.dossiers import lifecycle
from app.dossiers.codes import next_dossier_code
from app.dossiers.history import record_event
from app.dossiers.models import Dossier
from app.extensions import db
from app.procedures.models import Procedure, UnitProcedure
from app.security.scope import OFFICER, can_act_as_officer, dossier_scope, role_names
from app.units.models import AdministrativeUnit


class DossierError(Exception):
    """A request about a dossier that cannot be honoured; carries an HTTP status."""

    def __init__(self, message: str, status: int = 400, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or []


class ConflictError(DossierError):
    """Someone else changed the dossier first (optimistic lock)."""

    def __init__(self, message: str):
        super().__init__(message, 409)


@dataclass
class NewDossier:
    procedure_code: str
    unit_code: str
    data: dict[str, Any] = field(default_factory=dict)
    phone: str = ""
    email: str = ""
    delivery_method: str = "office"
    delivery_address: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None


def visible_dossiers(user: Any):
    """Select statement of the dossiers the user may see."""
    return select(Dossier).where(dossier_scope(user))


def get_visible_dossier(user: Any, code: str) -> Dossier | None:
    """The dossier if the user may see it; None otherwise (callers answer 404)."""
    return db.session.scalar(visible_dossiers(user).where(Dossier.code == code))


def _offering(procedure_code: str, unit_code: str) -> tuple[Procedure, AdministrativeUnit, UnitProcedure]:
    row = db.session.execute(
        select(Procedure, AdministrativeUnit, UnitProcedure)
        .join(UnitProcedure, UnitProcedure.procedure_id == Procedure.id)
        .join(AdministrativeUnit, AdministrativeUnit.id == UnitProcedure.unit_id)
        .where(Procedure.code == procedure_code, AdministrativeUnit.code == unit_code,
               Procedure.active.is_(True), UnitProcedure.active.is_(True),
               AdministrativeUnit.active.is_(True))
    ).first()
    if row is None:
        raise DossierError(_("This procedure is not offered at this unit."), 422,
                           [{"path": "/procedure", "message": _("This procedure is not offered at this unit.")}])
    return row[0], row[1], row[2]


def create_dossier(applicant: Any, new: NewDossier) -> tuple[Dossier, bool]:
    """Create a draft; with an idempotency key a retry returns the first dossier."""
    if new.idempotency_key:
        existing = db.session.scalar(select(Dossier).where(
            Dossier.applicant_id == applicant.id, Dossier.idempotency_key == new.idempotency_key))
        if existing is not None:
            return existing, False
    procedure, unit, offering = _offering(new.procedure_code, new.unit_code)
    version = procedure.current_version
    if version is None or procedure.level < 3:
        raise DossierError(_("This procedure cannot be filed online."), 422)
    now = utcnow()
    dossier = Dossier(
        code=next_dossier_code(unit.code, now), procedure=procedure, procedure_version=version,
        unit=unit, applicant_id=applicant.id, idempotency_key=new.idempotency_key,
        contact_phone=new.phone, contact_email=new.email, data=new.data, status="draft",
        delivery_method=new.delivery_method, delivery_address=new.delivery_address,
        fee=offering.fee, created_at=now,
    )
    db.session.add(dossier)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if new.idempotency_key:  # a concurrent retry won the race
            return create_dossier(applicant, new)
        raise
    record_event(dossier, "create", applicant.id, status_before=None, status_after="draft")
    db.session.commit()
    return dossier, True


def actor_kind(user: Any, dossier: Dossier, action: str) -> str | None:
    """How the user relates to the dossier for this action: owner, officer or none."""
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        return None
    if lifecycle.OWNER in transition.actors and dossier.applicant_id == getattr(user, "id", None):
        return lifecycle.OWNER
    if lifecycle.OFFICER in transition.actors and can_act_as_officer(user, dossier):
        return lifecycle.OFFICER
    return None


def perform_action(user: Any, dossier: Dossier, action: str, *, note: str | None = None,
                   expected_version: int | None = None, **params: Any) -> Dossier:
    """Apply one lifecycle action in one transaction, or raise DossierError."""
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        raise DossierError(_("Unknown action: %(action)s", action=action), 400)
    kind = actor_kind(user, dossier, action)
    if kind is None:
        if OFFICER in role_names(user) or dossier.applicant_id == getattr(user, "id", None):
            raise DossierError(_("You may not take this action on this dossier."), 403)
        raise DossierError(_("Dossier not found."), 404)
    if expected_version is not None and expected_version != dossier.version:
        raise ConflictError(_("The dossier was changed by someone else; reload it and try again."))
    if not lifecycle.allowed(action, dossier.status, kind):
        raise DossierError(
            _("This action is not allowed while the dossier is %(status)s.",
              status=str(lifecycle.STATUS_LABELS.get(dossier.status, dossier.status))), 409)
    if transition.needs_reason and not (note or "").strip():
        raise DossierError(_("A reason is required."), 422,
                           [{"path": "/note", "message": _("A reason is required.")}])
    before = dossier.status
    if transition.target is not None:
        dossier.status = transition.target
    for effect in lifecycle.EFFECTS.get(action, []):
        effect(dossier, user=user, note=note, **params)
    record_event(dossier, action, getattr(user, "id", None), status_before=before,
                 status_after=dossier.status, note=note, public=transition.public,
                 payload={k: v for k, v in params.items() if isinstance(v, (str, int, float, bool))})
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ConflictError(_("The dossier was changed by someone else; reload it and try again."))
    return dossier
