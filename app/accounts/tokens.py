"""Signed, expiring links for email verification and password reset (itsdangerous)."""
from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_SALT = "motcua-verify-email"
RESET_SALT = "motcua-reset-password"
VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 2 * 3600


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(user: Any) -> str:
    """Changes when the password or email changes, so an old link stops working."""
    return hashlib.sha256(f"{user.password}|{user.email}".encode()).hexdigest()[:16]


def make_token(user: Any, salt: str) -> str:
    return _serializer(salt).dumps({"id": user.id, "fp": _fingerprint(user)})


def read_token(token: str, salt: str, max_age: int) -> tuple[int | None, str | None, str]:
    """(user id, fingerprint, problem) where problem is "", "expired" or "invalid"."""
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        return None, None, "expired"
    except BadSignature:
        return None, None, "invalid"
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None, None, "invalid"
    return data["id"], data.get("fp"), ""


def token_user(token: str, salt: str, max_age: int) -> tuple[Any, str]:
    """(user, problem) for a link; the user is None unless the link is valid and current."""
    user_id, fingerprint, problem = read_token(token, salt, max_age)
    if problem:
        return None, problem
    from app.extensions import db

    user = db.session.get(current_app.appbuilder.sm.user_model, user_id)
    if user is None or fingerprint != _fingerprint(user):
        return None, "invalid"
    return user, ""
