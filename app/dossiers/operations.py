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
from app.dossiers.errors import ConflictError, DossierError, field_error  # noqa: F401 (re-exported)
from app.dossiers.history import record_event
from app.dossiers.models import Dossier
from app.extensions import db
from app.procedures.models import Procedure, UnitProcedure
from app.security.scope import can_act_as_officer, dossier_scope
from app.units.models import AdministrativeUnit


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
    """How the user relates to the dossier for this action: owner, officer, system or none."""
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        return None
    if user is None:  # the system itself (payment gateway callbacks, jobs)
        return lifecycle.SYSTEM if lifecycle.SYSTEM in transition.actors else None
    if lifecycle.OWNER in transition.actors and dossier.applicant_id == getattr(user, "id", None):
        return lifecycle.OWNER
    if lifecycle.OFFICER in transition.actors and can_act_as_officer(user, dossier):
        return lifecycle.OFFICER
    return None


def conflict_message() -> str:
    """What a user sees when another officer acted first."""
    return _("The dossier was changed by someone else; reload it and try again.")


def _payload_value(value: Any) -> Any:
    """What of an input goes into the (hash-chained) event payload."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def perform_action(user: Any, dossier: Dossier, action: str, *, note: str | None = None,
                   expected_version: int | None = None, **params: Any) -> Dossier:
    """Apply one lifecycle action in one transaction, or raise DossierError (rolled back)."""
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        raise DossierError(_("Unknown action: %(action)s", action=action), 400)
    kind = actor_kind(user, dossier, action)
    if kind is None:
        visible = user is not None and db.session.scalar(
            select(Dossier.id).where(Dossier.id == dossier.id, dossier_scope(user))) is not None
        if visible:
            raise DossierError(_("You may not take this action on this dossier."), 403)
        raise DossierError(_("Dossier not found."), 404)
    if expected_version is not None and expected_version != dossier.version:
        raise ConflictError(conflict_message())
    if not lifecycle.allowed(action, dossier.status, kind):
        raise DossierError(
            _("This action is not allowed while the dossier is %(status)s.",
              status=str(lifecycle.STATUS_LABELS.get(dossier.status, dossier.status))), 409)
    note = note.strip() or None if isinstance(note, str) else None
    if transition.needs_reason and not note:
        raise field_error("/note", _("A reason is required."))
    if transition.params is not None:
        params = {k: v for k, v in params.items() if k in transition.params}
    before = dossier.status
    try:
        if transition.target is not None:
            dossier.status = transition.target
        # Every action rewrites the row, so the version check also guards notes and assigns.
        dossier.updated_at = utcnow()
        for effect in lifecycle.EFFECTS.get(action, []):
            effect(dossier, user=user, note=note, **params)
        payload = {k: _payload_value(v) for k, v in params.items()}
        record_event(dossier, action, getattr(user, "id", None), status_before=before,
                     status_after=dossier.status, note=note, public=transition.public,
                     payload={k: v for k, v in payload.items() if v is not None})
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ConflictError(conflict_message()) from None
    except Exception:
        db.session.rollback()
        raise
    return dossier


# Side effects register themselves on import (timestamps, clock, notifications, documents).
from app.dossiers import effects as _effects  # noqa: E402,F401
from app.dossiers import linked as _linked  # noqa: E402,F401
