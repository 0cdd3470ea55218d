"""The roles of MotCua and their permissions, applied by `flask roles sync`."""
from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db

# The accounts of the office (the staff lists show these; citizens have their own list).
STAFF_ROLES = ("Officer", "Auditor", "Admin")
ROLE_LABELS = {"Admin": _l("Administrator"), "Officer": _l("Officer"), "Auditor": _l("Auditor"),
               "Citizen": _l("Citizen"), "Public": _l("Anonymous visitor")}


def role_label(name: str) -> str:
    """A role as the pages call it ("Công chức" for Officer)."""
    return str(ROLE_LABELS.get(name, name))


def roles_text(roles) -> str:
    return ", ".join(role_label(r.name) for r in roles or [])


# Each role maps to (permission regex, view-menu regex) pairs; Admin gets everything.
SELF_SERVICE = [
    ("can_this_form_(get|post)", "ResetMyPasswordView|UserInfoEditView"),
    ("can_userinfo|resetmypassword|userinfoedit", "UserDBModelView"),
]
CATALOGUE_READ = [
    ("can_read", "Unit|Field|Procedure|ProcedureVersion|UnitProcedure"),
    ("menu_access", "Catalogue|Administrative units|Fields|Procedures|Procedure versions|Unit offerings"),
]
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    "Officer": [
        ("can_read|can_write", "Dossier|DossierAdmin"),
        ("menu_access", "Dossiers|All dossiers"),
        *CATALOGUE_READ,
        *SELF_SERVICE,
    ],
    "Citizen": [
        ("can_read|can_write", "Dossier"),
        *SELF_SERVICE,
    ],
    "Auditor": [
        ("can_read", "Dossier|DossierAdmin|DossierEvent"),
        ("menu_access", "Dossiers|All dossiers|Dossier history"),
        *CATALOGUE_READ,
        *SELF_SERVICE,
    ],
    # Anyone may read the API's OpenAPI document (CONTRACT.md).
    "Public": [("can_get", "OpenApi")],
}


def _matches(spec: list[tuple[str, str]], permission: str, view: str) -> bool:
    return any(re.fullmatch(p, permission) and re.fullmatch(v, view) for p, v in spec)


def sync_roles() -> dict[str, int]:
    """Create every permission of the registered views and give each role its set."""
    appbuilder = current_app.appbuilder
    sm = appbuilder.sm
    admin = sm.find_role(sm.auth_role_admin) or sm.add_role(sm.auth_role_admin)
    appbuilder.add_permissions(update_perms=True)
    all_pvms = db.session.query(sm.permissionview_model).all()
    admin.permissions = list(all_pvms)
    counts = {admin.name: len(all_pvms)}
    for name, spec in ROLE_PERMISSIONS.items():
        role = sm.find_role(name) or sm.add_role(name)
        role.permissions = [
            pvm for pvm in all_pvms
            if pvm.permission and pvm.view_menu
            and _matches(spec, pvm.permission.name, pvm.view_menu.name)
        ]
        counts[name] = len(role.permissions)
    db.session.flush()
    return counts
