"""Demo data for `flask seed-demo`: units, procedures and the users of CONTRACT.md."""
from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.procedures.definitions import load_file
from app.procedures.operations import import_definition
from app.security.models import UserProfile, UserUnit
from app.security.roles import sync_roles
from app.units.models import AdministrativeUnit
from app.units.operations import DEMO_PROVINCES, get_unit, import_units

LOC_TAN, TAM_DA = "25279", "09208"
DEMO_USERS = (
    # username, role, first name, last name, officer unit, phone
    ("admin", "Admin", "Đức Anh", "Hoàng", None, "0901000001"),
    ("officer", "Officer", "Thị Hoa", "Lê", LOC_TAN, "0901000002"),
    ("officer2", "Officer", "Văn Minh", "Phạm", TAM_DA, "0901000003"),
    ("citizen", "Citizen", "Văn An", "Nguyễn", None, "0912345678"),
    ("citizen2", "Citizen", "Thị Bình", "Trần", None, "0987654321"),
    ("auditor", "Auditor", "Thanh Tâm", "Đỗ", None, "0901000004"),
)


def forms_schema_dir() -> Path:
    return Path(current_app.root_path).parent / "forms_schema"


def seed_users(password: str) -> int:
    sm = current_app.appbuilder.sm
    created = 0
    for username, role_name, first, last, unit_code, phone in DEMO_USERS:
        role = sm.find_role(role_name)
        user = sm.find_user(username=username)
        if user is None:
            user = sm.add_user(username, first, last, f"{username}@motcua.test", [role],
                               password=password)
            created += 1
        if unit_code:
            unit = get_unit(unit_code)
            if unit is not None and db.session.get(UserUnit, (user.id, unit.id)) is None:
                db.session.add(UserUnit(user_id=user.id, unit_id=unit.id))
        if db.session.get(UserProfile, user.id) is None:
            db.session.add(UserProfile(user_id=user.id, phone=phone))
    db.session.flush()
    return created


def seed() -> dict[str, int]:
    """Load everything the demo needs; running it twice changes nothing."""
    import_units(list(DEMO_PROVINCES))
    sync_roles()
    new_versions = 0
    offered_at = [code for code in (LOC_TAN, TAM_DA) if get_unit(code) is not None]
    for path in sorted(forms_schema_dir().glob("*.json")):
        outcome = import_definition(load_file(path), offered_at, source=str(path))
        new_versions += int(outcome.new_version)
    db.session.flush()
    users = seed_users(current_app.config["DEMO_PASSWORD"])
    return {
        "units": db.session.scalar(select(func.count(AdministrativeUnit.id))) or 0,
        "new procedure versions": new_versions,
        "new users": users,
    }
