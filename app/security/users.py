"""Deleting an account (refused while dossiers or their history name it) or deactivating it."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.core import audit, deletion
from app.core.refusal import Refused
from app.extensions import db


def user_instead() -> str:
    return _("Deactivate the account instead of deleting it (action “Deactivate the "
             "account”): the person can no longer log in and the records keep their name.")


def delete_user(user: Any) -> None:
    """Delete an account nothing points to; its roles, units and profile go with it."""
    _not_oneself(user, _("You cannot delete your own account."))
    what = _("the account “%(name)s”", name=user.username)
    deletion.ensure_deletable(user, what, user_instead())
    audit.record("delete", "User", user.id, user.username,
                 {"email": user.email, "roles": [r.name for r in user.roles]})
    deletion.delete_row(user, what, user_instead())


def set_user_active(user: Any, active: bool) -> None:
    """(De)activate an account (audited); deactivating ends its sessions (app/security/sessions)."""
    if not active:
        _not_oneself(user, _("You cannot deactivate your own account."))
    if user.active == active:
        return
    audit.record("activate" if active else "deactivate", "User", user.id, user.username,
                 {"active": [user.active, active]})
    user.active = active
    db.session.flush()


def _not_oneself(user: Any, message: str) -> None:
    if user.id == getattr(audit.current_actor(), "id", None):
        raise Refused([message])
