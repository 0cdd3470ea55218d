"""Roles of a user and the staff of a unit (row-level dossier scope is app.dossiers.filters)."""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from app.security.models import UserUnit

ADMIN, OFFICER, CITIZEN, AUDITOR, PUBLIC = "Admin", "Officer", "Citizen", "Auditor", "Public"
STAFF = (ADMIN, OFFICER, AUDITOR)


def role_names(user: Any) -> set[str]:
    """Names of the user's roles; empty for anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return {role.name for role in getattr(user, "roles", [])}


def has_role(user: Any, *names: str) -> bool:
    return bool(role_names(user) & set(names))


def unit_officers(unit_id: int):
    """Select statement of the active users who work at a unit's one-stop office."""
    user_model = current_app.appbuilder.sm.user_model
    return select(user_model).join(UserUnit, UserUnit.user_id == user_model.id).where(
        UserUnit.unit_id == unit_id, user_model.active.is_(True))
