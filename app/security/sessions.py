"""Session and token generations: every session cookie and JWT carries its user's generation;
logout, a password change and deactivation bump it, so every copy made before stops working."""
from __future__ import annotations

from typing import Any

from flask import session
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.extensions import db
from app.security.models import UserProfile

SESSION_KEY = "_gen"
CLAIM = "gen"
# What survives the rotation of the session at login (Flask-Login's own keys and UI choices).
KEPT_AT_LOGIN = ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds", "locale", "unit",
                 "province", "login_next")


def generation(user_id: int | str | None) -> int:
    """The user's current generation (0 for a user without a profile row yet); a profile this
    session already holds (read with the user, or bumped in this transaction) is not read again."""
    if user_id in (None, ""):
        return 0
    held = db.session.identity_map.get(identity_key(UserProfile, int(user_id)))
    if held is not None:
        return held.session_generation or 0
    value = db.session.scalar(select(UserProfile.session_generation)
                              .where(UserProfile.user_id == int(user_id)))
    return value or 0


def _profile(sess: Session, user_id: int) -> UserProfile:
    with sess.no_autoflush:
        profile = sess.get(UserProfile, user_id)
    if profile is None:
        profile = UserProfile(user_id=user_id, session_generation=0)
        sess.add(profile)
    return profile


def bump(user: Any) -> None:
    """End every session and token of the user (flushed with the unit of work)."""
    profile = _profile(db.session, user.id)
    profile.session_generation = (profile.session_generation or 0) + 1


def stamp_session(user: Any) -> None:
    """Rotate the session at login: a new session holding only the login and the UI choices."""
    kept = {key: session[key] for key in KEPT_AT_LOGIN if key in session}
    session.clear()
    session.update(kept)
    session[SESSION_KEY] = generation(user.id)


def session_is_current(user: Any) -> bool:
    return session.get(SESSION_KEY) == generation(user.id)


def token_is_current(user: Any, claims: dict) -> bool:
    return claims.get(CLAIM) == generation(user.id)


@event.listens_for(Session, "before_flush")
def _bump_on_password_change_or_deactivation(sess: Session, _context, _instances) -> None:
    """Whatever door changed it (FAB's forms, the admin tools, a reset link, the API)."""
    for obj in list(sess.dirty):
        if not isinstance(obj, User) or obj in sess.new or obj.id is None:
            continue
        state = inspect(obj)
        password = state.attrs.password.history
        active = state.attrs.active.history
        if password.has_changes() or (active.has_changes() and active.added == [False]):
            profile = _profile(sess, obj.id)
            profile.session_generation = (profile.session_generation or 0) + 1
