"""Demo data for `flask seed-demo`: units, procedures and the users of CONTRACT.md."""
from __future__ import annotations

import datetime as dt
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


# Demo fee settings (what a provincial administrator would set from the province's resolution):
# (province, procedure or None for all, fee, online reduction %, reduction until, postal charge).
DEMO_FEES = (
    ("75", None, None, None, None, 22000),
    ("75", "1.004873", 15000, None, None, None),
    ("24", None, None, None, None, 25000),
    ("24", "1.004873", 15000, 50, dt.date(2026, 12, 31), None),
)


def seed_fees() -> int:
    """The demo provinces' fees and postal charges, where none are set yet."""
    from app.procedures.fees import FeeSetting
    from app.procedures.operations import get_procedure

    created = 0
    for province_code, procedure_code, fee, percent, until, postage in DEMO_FEES:
        province = get_unit(province_code)
        procedure = get_procedure(procedure_code) if procedure_code else None
        if province is None or (procedure_code and procedure is None):
            continue
        procedure_id = procedure.id if procedure else None
        exists = db.session.scalar(select(FeeSetting.id).where(
            FeeSetting.province_id == province.id, FeeSetting.procedure_id.is_(None) if procedure_id is None
            else FeeSetting.procedure_id == procedure_id))
        if exists is None:
            db.session.add(FeeSetting(province_id=province.id, procedure_id=procedure_id, fee=fee,
                                      online_reduction_percent=percent, reduction_until=until,
                                      postal_charge=postage))
            created += 1
    db.session.flush()
    return created


# DEMO DATA, not the communes' real offices: plausible one-stop office details so that the
# procedure page shows where, when and how to reach the office. Filled only where empty.
DEMO_OFFICES = {
    LOC_TAN: {"address": "Bộ phận Một cửa, UBND xã Lộc Tấn, ấp 3, xã Lộc Tấn, tỉnh Đồng Nai (dữ liệu mẫu)",
              "phone": "0271 3000 001", "email": "motcua.loctan@demo.motcua.test",
              "office_hours": "Thứ Hai đến Thứ Sáu: 7:00–11:30 và 13:00–17:00; "
                              "sáng Thứ Bảy: 7:30–11:30 (dữ liệu mẫu)"},
    TAM_DA: {"address": "Bộ phận Một cửa, UBND xã Tam Đa, thôn Đông, xã Tam Đa, tỉnh Bắc Ninh (dữ liệu mẫu)",
             "phone": "0222 3000 002", "email": "motcua.tamda@demo.motcua.test",
             "office_hours": "Thứ Hai đến Thứ Sáu: 7:30–11:30 và 13:30–17:00 (dữ liệu mẫu)"},
}


def seed_offices() -> int:
    """The demo communes' office details (DEMO_OFFICES), where none are set yet."""
    changed = 0
    for code, details in DEMO_OFFICES.items():
        unit = get_unit(code)
        if unit is None:
            continue
        for key, value in details.items():
            if not getattr(unit, key):
                setattr(unit, key, value)
                changed += 1
    db.session.flush()
    return changed


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
    fees = seed_fees()
    offices = seed_offices()
    users = seed_users(current_app.config["DEMO_PASSWORD"])
    return {
        "units": db.session.scalar(select(func.count(AdministrativeUnit.id))) or 0,
        "new procedure versions": new_versions,
        "new users": users,
        "new fee settings": fees,
        "office details set": offices,
    }
