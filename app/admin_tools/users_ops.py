"""Back-office accounts: create officers bound to units, (de)activate, reset passwords."""
from __future__ import annotations

import re
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from werkzeug.security import generate_password_hash

from app.core import audit
from app.core.contact import is_email
from app.core.refusal import Refused
from app.extensions import db
from app.security.models import UserUnit
from app.security.passwords import password_problems
from app.security.roles import STAFF_ROLES

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


def _sm():
    return current_app.appbuilder.sm


def _units(codes: list[str], errors: dict[str, list[str]]) -> list[Any]:
    from app.units.operations import get_unit

    units = []
    for code in codes:
        unit = get_unit(code)
        if unit is None or not unit.active:
            errors.setdefault("units", []).append(_("No active unit has the code %(code)s.", code=code))
        else:
            units.append(unit)
    return units


def _password_errors(password: str, errors: dict[str, list[str]]) -> None:
    problems = password_problems(password)
    if problems:
        errors.setdefault("password", []).append(
            _("The password needs %(what)s.", what=", ".join(problems)))


def create_staff(values: dict[str, Any]) -> Any:
    """A new officer, auditor or administrator with their units; Refused by field."""
    sm = _sm()
    errors: dict[str, list[str]] = {}
    username = (values.get("username") or "").strip().lower()
    if not USERNAME_RE.match(username):
        errors["username"] = [_("3 to 64 characters: lower-case letters, digits, dot, dash.")]
    elif sm.find_user(username=username) is not None:
        errors["username"] = [_("This username is taken.")]
    email = (values.get("email") or "").strip().lower()
    if not is_email(email):
        errors["email"] = [_("Enter a valid email address.")]
    elif sm.find_user(email=email) is not None:
        errors["email"] = [_("Another account uses this email address.")]
    for name in ("first_name", "last_name"):
        if not (values.get(name) or "").strip():
            errors[name] = [_("Required.")]
    role = sm.find_role(values.get("role") or "") if values.get("role") in STAFF_ROLES else None
    if role is None:
        errors["role"] = [_("Choose a role.")]
    _password_errors(values.get("password") or "", errors)
    units = _units(values.get("units") or [], errors)
    if values.get("role") == "Officer" and not units and "units" not in errors:
        errors["units"] = [_("An officer works for at least one unit.")]
    if errors:
        raise Refused([m for ms in errors.values() for m in ms], errors)
    user = sm.user_model(username=username, email=email, active=True, roles=[role],
                         first_name=values["first_name"].strip()[:64],
                         last_name=values["last_name"].strip()[:64],
                         password=generate_password_hash(values["password"]))
    db.session.add(user)
    db.session.flush()
    for unit in units:
        db.session.add(UserUnit(user_id=user.id, unit_id=unit.id))
    audit.record("create", "User", user.id, username,
                 {"role": role.name, "units": [u.code for u in units], "email": email})
    db.session.flush()
    return user


def update_staff(user: Any, active: bool, unit_codes: list[str]) -> None:
    """Activate/deactivate an account and replace its units."""
    errors: dict[str, list[str]] = {}
    units = _units(unit_codes, errors)
    if not active and user.id == getattr(audit.current_actor(), "id", None):
        errors["active"] = [_("You cannot deactivate your own account.")]
    if errors:
        raise Refused([m for ms in errors.values() for m in ms], errors)
    before = {"active": user.active, "units": sorted(unit_codes_of(user))}
    user.active = active
    db.session.execute(delete(UserUnit).where(UserUnit.user_id == user.id))
    for unit in units:
        db.session.add(UserUnit(user_id=user.id, unit_id=unit.id))
    after = {"active": active, "units": sorted(u.code for u in units)}
    audit.record("update", "User", user.id, user.username,
                 {k: [before[k], after[k]] for k in after if before[k] != after[k]})
    db.session.flush()


def reset_password(user: Any, password: str) -> None:
    """Set a new password chosen by the administrator (checked against the policy)."""
    errors: dict[str, list[str]] = {}
    _password_errors(password, errors)
    if errors:
        raise Refused(errors["password"], errors)
    user.password = generate_password_hash(password)
    audit.record("reset_password", "User", user.id, user.username)
    db.session.flush()


def unit_codes_of(user: Any) -> list[str]:
    from app.units.models import AdministrativeUnit

    return list(db.session.scalars(select(AdministrativeUnit.code).join(
        UserUnit, UserUnit.unit_id == AdministrativeUnit.id).where(UserUnit.user_id == user.id)))
