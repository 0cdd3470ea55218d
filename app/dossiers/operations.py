"""The one gate of the dossier domain: create, edit and act on dossiers; every rule checked here.

Operations only flush. The caller's unit of work (`app.core.uow`: one per request, or
`transaction()` in commands and jobs) commits once and then delivers the queued notifications.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.core import quota
from app.core.contact import normalize_phone
from app.core.locale import current_locale
from app.core.types import utcnow
from app.core.uow import atomic
from app.dossiers import counter as _counter  # noqa: F401 - registers the counter steps
from app.dossiers import effects as _effects  # registers the table's effects
from app.dossiers import fees, idempotency, lifecycle, submission
from app.dossiers import forwarding as _forwarding  # noqa: F401 - registers forwarding
from app.dossiers import linked as _linked  # noqa: F401 - registers the linked-procedure steps
from app.dossiers import payment_rules as _payment_rules  # noqa: F401 - registers the fee steps
from app.dossiers import register as _register  # noqa: F401 - registers the register's numbering
from app.dossiers.creation import new_dossier_row
from app.dossiers.drafts import migrate_draft
from app.dossiers.errors import ConflictError, DossierError, field_error
from app.dossiers.filters import can_see, is_owner, is_unit_officer, read_only, require_editable
from app.dossiers.history import head_moved, record_event
from app.dossiers.models import Dossier
from app.dossiers.notifications import notify_dossier_event
from app.dossiers.offerings import filing_offering
from app.dossiers.status import Status
from app.extensions import db
from app.forms.engine import validate
from app.security.scope import CITIZEN, has_role

INVALID = submission.INVALID


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
    exemption: str | None = None  # a fee exemption category (fees.EXEMPTIONS)


def may_file(user: Any) -> bool:
    """Citizens file online in their own name; staff take walk-in dossiers at the counter."""
    return has_role(user, CITIZEN) and not read_only(user)


def ensure_may_file(user: Any) -> None:
    """Refuse (403) anyone who may not file online, before looking at what they sent."""
    if not may_file(user):
        raise DossierError(_("Only citizens file dossiers online, in their own name."), 403)


def create_dossier(applicant: Any, new: NewDossier) -> tuple[Dossier, bool]:
    """A citizen opens a draft in their own name; an idempotency key makes a retry safe."""
    ensure_may_file(applicant)
    digest = idempotency.fingerprint(procedure=new.procedure_code, unit=new.unit_code, data=new.data,
                                     phone=normalize_phone(new.phone), email=new.email.strip(),
                                     delivery=new.delivery_method, address=new.delivery_address)
    if new.idempotency_key:
        existing = db.session.scalar(select(Dossier).where(
            Dossier.applicant_id == applicant.id, Dossier.idempotency_key == new.idempotency_key))
        if existing is not None:
            idempotency.check_same(existing.idempotency_fingerprint, digest,
                                   _("dossier %(code)s", code=existing.code))
            return existing, False
    quota.spend("DOSSIER_CREATE_QUOTA", applicant.id)
    moment = utcnow()
    # On PostgreSQL the read of the offering also takes the code's number (one statement for
    # both); a filing refused below commits that number unused: a gap in the day's codes.
    procedure, unit, _offer, version_id, code = filing_offering(
        new.procedure_code, new.unit_code, claim_code_at=moment)
    if version_id is None or procedure.level < 3:
        raise field_error("/procedure", _("This procedure cannot be filed online."))
    phone = normalize_phone(new.phone)
    address = submission.address_dict(new.delivery_address)
    problems = submission.contact_problems(phone, new.email.strip())
    problems += submission.delivery_problems(procedure, new.delivery_method, address)
    problems += fees.exemption_problems(procedure, new.exemption)
    if problems:
        raise DossierError(_(INVALID), 422, problems)
    try:
        # A savepoint only where a concurrent retry with the same key may collide; without a
        # key an IntegrityError is a failure of the whole request anyway.
        with db.session.begin_nested() if new.idempotency_key else nullcontext():
            dossier = new_dossier_row(
                procedure, unit, applicant.id, moment=moment, code=code,
                version_id=version_id, applicant_id=applicant.id,
                idempotency_key=new.idempotency_key,
                idempotency_fingerprint=digest if new.idempotency_key else None, contact_phone=phone,
                contact_email=new.email.strip(), data=new.data,
                delivery_method=new.delivery_method,
                delivery_address=submission.stored_address(address),
                fee_exemption=new.exemption or None)
    except IntegrityError:
        if new.idempotency_key:  # a concurrent retry won the race
            return create_dossier(applicant, new)
        raise
    return dossier, True


def update_dossier(user: Any, dossier: Dossier, *, data: dict | None = None,
                   contact: dict | None = None, delivery: dict | None = None,
                   fee: dict | None = None, expected_version: int | None = None) -> Dossier:
    """Replace the given parts of an editable dossier (a draft may be incomplete); the fee
    follows."""
    require_editable(user, dossier)
    if expected_version is not None and expected_version != dossier.version:
        raise ConflictError(conflict_message())
    problems: list[dict] = []
    if data is not None and not isinstance(data, dict):
        problems.append({"path": "/data", "message": _("Must be an object.")})
    if contact is not None:
        phone = normalize_phone(str(contact.get("phone") or ""))
        email = str(contact.get("email") or "").strip()
        problems += submission.contact_problems(phone, email)
    if delivery is not None:
        method = str(delivery.get("method") or "office")
        raw = delivery.get("address") or {}
        if not isinstance(raw, (dict, str)):
            problems.append({"path": "/delivery/address", "message": _("Must be an object.")})
            raw = {}
        address = submission.address_dict(raw)
        problems += submission.delivery_problems(dossier.procedure, method, address)
    exemption = (fee or {}).get("exemption") if isinstance(fee, dict) else None
    if fee is not None:
        problems += fees.exemption_problems(dossier.procedure, exemption)
    if problems:
        raise DossierError(_(INVALID), 422, problems)
    dropped = migrate_draft(dossier)  # a draft under an older form moves to the published one
    if dropped is not None:
        record_event(dossier, "migrate_version", getattr(user, "id", None),
                     status_before=dossier.status, status_after=dossier.status,
                     payload={"version": dossier.procedure_version.number, "dropped": len(dropped)})
    if data is not None:
        dossier.data = data
    if contact is not None:
        dossier.contact_phone, dossier.contact_email = phone, email
    if delivery is not None:
        dossier.delivery_method = method
        dossier.delivery_address = submission.stored_address(address)
    if fee is not None:
        dossier.fee_exemption = exemption or None
    fees.refresh_fee(dossier)
    dossier.updated_at = utcnow()
    db.session.flush()
    return dossier


def submit_dossier(user: Any, dossier: Dossier) -> Dossier:
    """Submit through the gate; a replay (double click, reload, retry) answers the same dossier."""
    if not is_owner(user, dossier):
        raise DossierError(_("Dossier not found."), 404)
    if dossier.submitted_at and not Status(dossier.status).editable \
            and dossier.status != Status.WITHDRAWN:
        return dossier
    quota.spend("DOSSIER_SUBMIT_QUOTA", user.id)
    try:
        return perform_action(user, dossier, "submit")
    except ConflictError:
        db.session.refresh(dossier)
        if dossier.status == Status.SUBMITTED:  # a concurrent duplicate submit won the race
            return dossier
        raise


def withdraw_dossier(user: Any, dossier: Dossier, note: str | None = None) -> Dossier:
    """The owner withdraws a dossier the office has not received yet."""
    return perform_action(user, dossier, "withdraw", note=note or None)


# --- The gate --------------------------------------------------------------------------------

def relation(user: Any, dossier: Dossier, transition: lifecycle.Transition) -> str | None:
    """In which capacity the user may take this action on this dossier, if any."""
    actors = transition.actors
    if user is None:
        return lifecycle.SYSTEM if lifecycle.SYSTEM in actors else None
    if read_only(user):
        return None
    if lifecycle.OWNER in actors and is_owner(user, dossier):
        return lifecycle.OWNER
    if lifecycle.OFFICER in actors and is_unit_officer(user, dossier):
        return lifecycle.OFFICER
    return None


def available_actions(user: Any, dossier: Dossier, actor: str | None = None
                      ) -> list[lifecycle.Transition]:
    """The actions the gate would let `user` take now (as `actor`, if given), guards included."""
    found = []
    for transition in lifecycle.TABLE:
        kind = relation(user, dossier, transition)
        rule = transition.allow_for(kind, dossier.status) if kind else None
        if rule is None or (actor and kind != actor):
            continue
        probe = lifecycle.ActionContext(transition, user, kind, None, {}, _effects.now(), "vi",
                                        perform_action)
        try:
            for name in rule.guards:
                lifecycle.GUARDS[name](dossier, probe)
        except DossierError:
            continue
        found.append(transition)
    return found


def conflict_message() -> str:
    """What a user sees when someone else acted first."""
    return _("The dossier was changed by someone else; reload it and try again.")


def _clean_params(transition: lifecycle.Transition, note: Any, params: dict[str, Any]
                  ) -> tuple[str | None, dict[str, Any], dict[str, Any]]:
    """(note, params, files) checked against the action's parameter schema, or a 422."""
    files = {k: params.pop(k) for k in transition.files if k in params}
    note = note.strip() or None if isinstance(note, str) else note
    values = {k: v for k, v in params.items() if v is not None}
    if note is not None:
        values["note"] = note
    errors = [{"path": e.path, "message": e.message} for e in validate(transition.params, values)]
    for error in errors:
        if error["path"] == "" and "note" not in values and transition.needs_reason:
            error.update(path="/note", message=_("A reason is required."))
    if errors:
        raise DossierError(_(INVALID), 422, errors)
    values.pop("note", None)
    return note, values, files


def perform_action(user: Any, dossier: Dossier, action: str, *, note: Any = None,
                   expected_version: int | None = None, **params: Any) -> Dossier:
    """Apply one action of the table atomically (a savepoint), or raise a DossierError."""
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        raise field_error("/action", _("Unknown action: %(action)s", action=action), 400)
    if user is not None and not is_owner(user, dossier) and not can_see(user, dossier):
        raise DossierError(_("Dossier not found."), 404)  # out of scope: as if it did not exist
    actor = relation(user, dossier, transition)
    if actor is None:
        if user is None:
            raise DossierError(_("Dossier not found."), 404)
        raise DossierError(_("You may not take this action on this dossier."), 403)
    if expected_version is not None and expected_version != dossier.version:
        raise ConflictError(conflict_message())
    rule = transition.allow_for(actor, dossier.status)
    if rule is None:
        raise DossierError(_("This action is not allowed while the dossier is %(status)s.",
                             status=str(Status(dossier.status).label)), 409)
    note, values, files = _clean_params(transition, note, dict(params))
    ctx = lifecycle.ActionContext(
        transition=transition, user=user, actor=actor, note=note, params={**values, **files},
        moment=_effects.now(), locale=current_locale() if actor == lifecycle.OWNER else "vi",
        perform=perform_action, event=transition.event, keep_status=rule.keep_status,
        status_before=dossier.status)
    for name in rule.guards:
        lifecycle.GUARDS[name](dossier, ctx)
    before = dossier.status
    try:
        with atomic():
            _apply(dossier, ctx, before)
    except StaleDataError:
        raise ConflictError(conflict_message()) from None
    except IntegrityError as error:
        if head_moved(error):  # another event joined the history since the dossier was read
            raise ConflictError(conflict_message()) from None
        raise
    return dossier


def _apply(dossier: Dossier, ctx: lifecycle.ActionContext, before: str) -> None:
    transition = ctx.transition
    if transition.target is not None and not ctx.keep_status:
        dossier.status = transition.target
    dossier.updated_at = ctx.moment  # every action rewrites the row: the version guards notes too
    for name in transition.effects:
        lifecycle.EFFECTS[name](dossier, ctx)
    if ctx.event:
        notify_dossier_event(dossier, ctx.event, locale=ctx.locale, **{"note": ctx.note, **ctx.notice})
    payload = {k: _payload_value(v) for k, v in {**ctx.params, **ctx.payload}.items()}
    record_event(dossier, transition.action, getattr(ctx.user, "id", None), status_before=before,
                 status_after=dossier.status, note=ctx.note, public=transition.public,
                 payload={k: v for k, v in payload.items() if v is not None}, in_row=True)
    for observer in lifecycle.OBSERVERS:
        observer(dossier, ctx)
    db.session.flush()


def _payload_value(value: Any) -> Any:
    """What of an input goes into the (hash-chained) event payload."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None
