"""Counter intake (tiếp nhận trực tiếp): an officer files a walk-in's paper dossier, digitises it
and receives it on the spot; the person may have no account and claims the dossier later with its
code and phone number. The channel is "counter" from creation and never changes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.contact import is_citizen_id, normalize_phone
from app.dossiers import fees, idempotency, lifecycle, submission
from app.dossiers.creation import new_dossier_row
from app.dossiers.errors import DossierError
from app.dossiers.filters import COUNTER, officer_unit_ids, read_only
from app.dossiers.history import record_event
from app.dossiers.lifecycle import ActionContext
from app.dossiers.models import Dossier
from app.dossiers.offerings import offering
from app.dossiers.status import Status
from app.extensions import db
from app.security.scope import ADMIN, CITIZEN, OFFICER, has_role

# Other identity papers (passport, old 9-digit ID card…): letters and digits.
OTHER_ID = re.compile(r"^[A-Z0-9]{6,20}$")


@dataclass
class WalkIn:
    """A counter dossier's opening: who came, for what, where, how the result goes back."""

    procedure_code: str
    unit_code: str
    name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    delivery_method: str = "office"
    delivery_address: dict[str, Any] = field(default_factory=dict)
    idempotency_key: str | None = None  # scoped to the officer who takes the dossier

    def fingerprint(self) -> str:
        """What the request asked for, whatever its spelling (spaces, key order, phone format)."""
        return idempotency.fingerprint(
            procedure=self.procedure_code, unit=self.unit_code, name=" ".join(self.name.split()),
            id_number=self.id_number.strip().upper(), phone=national_phone(self.phone),
            email=self.email.strip(), data=self.data or {}, delivery=self.delivery_method,
            address=self.delivery_address or {})


def ensure_counter_staff(user: Any) -> None:
    """Refuse (403) anyone who takes no dossiers at any counter, before reading what they sent."""
    if user is None or read_only(user) or not (has_role(user, ADMIN) or has_role(user, OFFICER)):
        raise DossierError(_("Only officers of this unit take dossiers at its counter."), 403)


def ensure_may_claim(user: Any) -> None:
    """Refuse (403) anyone but a citizen, before reading what they sent."""
    if not has_role(user, CITIZEN) or read_only(user):
        raise DossierError(_("Only citizens claim dossiers into their account."), 403)


def may_take_at(user: Any, unit: Any) -> bool:
    """Officers of the unit (and provincial administrators) take walk-in dossiers there."""
    if user is None or read_only(user):
        return False
    if has_role(user, ADMIN):
        return True
    return has_role(user, OFFICER) and unit.id in officer_unit_ids(user)


def applicant_problems(name: str, id_number: str, phone: str, email: str) -> list[dict]:
    """Field errors of the walk-in's identity and contact ([] when acceptable)."""
    problems = []
    if not name.strip():
        problems.append({"path": "/applicant/name", "message": _("Enter the applicant's full name.")})
    elif len(name) > 255:
        problems.append({"path": "/applicant/name", "message": _("At most 255 characters.")})
    number = id_number.strip().upper()
    if not number:
        problems.append({"path": "/applicant/id_number",
                         "message": _("Enter the number of the applicant's identity paper.")})
    elif not (is_citizen_id(number) or (not number.isdigit() and OTHER_ID.match(number))
              or (number.isdigit() and len(number) == 9)):
        problems.append({"path": "/applicant/id_number", "message": _(
            "Enter a personal identification number (12 digits), an old ID card number (9 digits) "
            "or a passport number.")})
    for problem in submission.contact_problems(phone, email, required=False):
        problems.append({**problem, "path": problem["path"].replace("/contact", "/applicant")})
    if not phone:
        problems.append({"path": "/applicant/phone",
                         "message": _("A phone number is required: the notifications go to it.")})
    return problems


def create_counter_dossier(officer: Any, walk_in: WalkIn) -> tuple[Dossier, bool]:
    """A draft taken at the counter for a person who may have no account (caller commits):
    (dossier, created). The same officer's retry with the same Idempotency-Key answers the
    dossier created the first time; the same key with another request is refused (422)."""
    digest = walk_in.fingerprint()
    if walk_in.idempotency_key:
        existing = db.session.scalar(select(Dossier).where(
            Dossier.taken_by_id == officer.id,
            Dossier.intake_idempotency_key == walk_in.idempotency_key))
        if existing is not None:
            idempotency.check_same(existing.idempotency_fingerprint, digest,
                                   _("dossier %(code)s", code=existing.code))
            return existing, False
    procedure, unit, _offer = offering(walk_in.procedure_code, walk_in.unit_code)
    if not may_take_at(officer, unit):
        raise DossierError(_("Only officers of this unit take dossiers at its counter."), 403)
    if procedure.current_version is None:
        raise DossierError(_("This procedure has no published form yet."), 422,
                           [{"path": "/procedure", "message": _("This procedure has no published form yet.")}])
    phone = normalize_phone(walk_in.phone)
    email = walk_in.email.strip()
    address = submission.address_dict(walk_in.delivery_address)
    problems = applicant_problems(walk_in.name, walk_in.id_number, phone, email)
    problems += submission.delivery_problems(procedure, walk_in.delivery_method, address)
    if problems:
        raise DossierError(_(submission.INVALID), 422, problems)
    try:
        with db.session.begin_nested():
            dossier = new_dossier_row(
                procedure, unit, officer.id, payload={"channel": COUNTER}, applicant_id=None,
                channel=COUNTER, applicant_name=" ".join(walk_in.name.split()),
                applicant_id_number=walk_in.id_number.strip().upper(), contact_phone=phone,
                contact_email=email, data=walk_in.data or {},
                delivery_method=walk_in.delivery_method,
                delivery_address=submission.stored_address(address), taken_by_id=officer.id,
                intake_idempotency_key=walk_in.idempotency_key,
                idempotency_fingerprint=digest if walk_in.idempotency_key else None)
    except IntegrityError:
        if walk_in.idempotency_key:  # a concurrent retry won the race
            return create_counter_dossier(officer, walk_in)
        raise
    return dossier, True


@lifecycle.guard("counter_dossier")
def counter_dossier(dossier: Dossier, ctx: ActionContext) -> None:
    """Only a dossier taken at the counter is received (or dropped) by the officer from a draft."""
    if dossier.channel != COUNTER:
        raise DossierError(_("Only a dossier taken at the counter can be received from here."), 409)


@lifecycle.effect("stamp_counter_intake")
def stamp_counter_intake(dossier: Dossier, ctx: ActionContext) -> None:
    """At the counter, receiving is also filing: keep the shown fields' values, stamp the filing
    time and fix the fee, as submitting does online."""
    if dossier.channel != COUNTER or ctx.actor != lifecycle.OFFICER or "pruned" not in ctx.scratch:
        return
    dossier.data = ctx.scratch["pruned"]
    if dossier.submitted_at is None:
        dossier.submitted_at = ctx.moment
        fees.apply_quote(dossier, fees.quote(dossier, moment=ctx.moment))


# --- Claiming a counter dossier into an account ----------------------------------------------

def national_phone(value: str) -> str:
    """0987654321 whether typed so or as +84 987 654 321."""
    number = normalize_phone(value)
    return "0" + number[3:] if number.startswith("+84") else number


def claim_dossier(user: Any, code: str, phone: str) -> Dossier:
    """A citizen takes a counter dossier into their account with its code and phone number.

    Every failure answers the same 404, so nobody learns which codes exist or whose they are.
    """
    not_found = DossierError(_("No dossier taken at the counter matches this code and phone "
                               "number, or it already belongs to an account."), 404)
    ensure_may_claim(user)
    number = national_phone(phone or "")
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == (code or "").strip())
                                .with_for_update())
    if (dossier is None or dossier.channel != COUNTER or dossier.applicant_id is not None
            or dossier.status == Status.DRAFT or not number
            or national_phone(dossier.contact_phone) != number):
        raise not_found
    for item in (dossier, *dossier.children):  # a linked dossier's parts come with it
        if item.applicant_id is None:
            item.applicant_id = user.id
            record_event(item, "claim", user.id, status_before=item.status,
                         status_after=item.status, public=True)
    db.session.flush()
    return dossier
