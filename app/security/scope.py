"""Who may see what: role checks and row-level scope clauses for queries."""
from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from app.dossiers.models import Dossier
from app.security.models import UserUnit

ADMIN, OFFICER, CITIZEN, AUDITOR, PUBLIC = "Admin", "Officer", "Citizen", "Auditor", "Public"


def role_names(user: Any) -> set[str]:
    """Names of the user's roles; empty for anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return {role.name for role in getattr(user, "roles", [])}


def has_role(user: Any, *names: str) -> bool:
    return bool(role_names(user) & set(names))


def officer_unit_ids_query(user: Any):
    """Subquery of the unit ids an officer belongs to."""
    return select(UserUnit.unit_id).where(UserUnit.user_id == user.id)


def dossier_scope(user: Any) -> ColumnElement[bool]:
    """WHERE clause limiting dossiers to those the user may see."""
    roles = role_names(user)
    if not roles:
        return false()
    if roles & {ADMIN, AUDITOR}:
        return true()
    clauses = []
    if OFFICER in roles:
        clauses.append(Dossier.unit_id.in_(officer_unit_ids_query(user)))
    if CITIZEN in roles:
        clauses.append(Dossier.applicant_id == user.id)
    return or_(*clauses) if clauses else false()


def can_act_as_officer(user: Any, dossier: Dossier) -> bool:
    """True when the user is an officer of the dossier's unit (or an admin)."""
    roles = role_names(user)
    if ADMIN in roles:
        return True
    if OFFICER not in roles:
        return False
    from app.extensions import db

    return db.session.scalar(
        select(UserUnit.unit_id).where(
            UserUnit.user_id == user.id, UserUnit.unit_id == dossier.unit_id
        )
    ) is not None


def unit_officers(unit_id: int):
    """Select statement of the active users who work at a unit's one-stop office."""
    from flask import current_app

    user_model = current_app.appbuilder.sm.user_model
    return select(user_model).join(UserUnit, UserUnit.user_id == user_model.id).where(
        UserUnit.unit_id == unit_id, user_model.active.is_(True))


def sees_internal(user: Any, dossier: Dossier) -> bool:
    """Staff (not the applicant) see internal history and papers addressed to the office."""
    return has_role(user, OFFICER, ADMIN, AUDITOR) and dossier.applicant_id != getattr(user, "id", None)
