"""Account rules: register, verify, authenticate, reset the password, keep the profile."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from werkzeug.security import generate_password_hash

from app.accounts import tokens
from app.core.types import utcnow
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.notifications.outbox import queue_message
from app.security.models import UserProfile
from app.security.names import full_name


class AccountError(Exception):
    """Field errors {field name: message} that stop an account operation."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class Registration:
    full_name: str
    email: str
    phone: str
    password: str


def user_model():
    return current_app.appbuilder.sm.user_model


def split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese order: family name first. Returns (first_name = given names, last_name)."""
    words = " ".join(full_name.split()).split(" ")
    if len(words) == 1:
        return words[0], ""
    return " ".join(words[1:]), words[0]




def find_by_login(login: str):
    """A user by user name or email address (case-insensitive)."""
    model = user_model()
    login = (login or "").strip().lower()
    if not login:
        return None
    return db.session.scalar(select(model).where(or_(
        func.lower(model.username) == login, func.lower(model.email) == login)))


def email_taken(email: str) -> bool:
    model = user_model()
    return db.session.scalar(select(model.id).where(or_(
        func.lower(model.email) == email.lower(), func.lower(model.username) == email.lower()))) is not None


def get_profile(user: Any) -> UserProfile:
    """The user's profile row, created empty when missing."""
    profile = db.session.get(UserProfile, user.id)
    if profile is None:
        profile = UserProfile(user_id=user.id)
        db.session.add(profile)
    return profile


def register_citizen(reg: Registration, locale: str = "vi") -> Any:
    """Create an inactive Citizen account and email the verification link. An address that
    already has an account is not revealed: its owner is told by mail instead (None)."""
    sm = current_app.appbuilder.sm
    email = reg.email.strip().lower()
    if email_taken(email):
        existing = find_by_login(email)
        if existing is not None and existing.email:
            _queue_already_registered(existing, locale)
        generate_password_hash(reg.password)  # the same work as a new account: no timing answer
        db.session.flush()
        return None
    first, last = split_name(reg.full_name)
    user = sm.user_model(username=email, email=email, first_name=first, last_name=last,
                         active=False, password=generate_password_hash(reg.password),
                         roles=[sm.find_role(current_app.config.get("AUTH_USER_REGISTRATION_ROLE", "Citizen"))])
    db.session.add(user)
    db.session.flush()
    db.session.add(UserProfile(user_id=user.id, phone=reg.phone))
    _queue_verification(user, locale)
    db.session.flush()
    return user


def _link(endpoint: str, **values: Any) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    return base + url_for(endpoint, **values)


def _queue_mail(user: Any, event: str, subject: str, body: str, locale: str) -> OutboxMessage:
    return queue_message("email", user.email, subject, body, event=event, locale=locale,
                         context={"user_id": user.id})


def _queue_verification(user: Any, locale: str) -> OutboxMessage:
    link = _link("accounts.verify_email", token=tokens.make_token(user, tokens.VERIFY_SALT))
    with force_locale(locale):
        subject = _("Confirm your email address for MotCua")
        body = "\n".join([
            _("Hello %(name)s,", name=full_name(user)),
            _("Open this link to confirm your email address and activate your account:"),
            link,
            _("The link is valid for 3 days. If you did not register, ignore this email."),
        ])
    return _queue_mail(user, "verify_email", subject, body, locale)


def _queue_already_registered(user: Any, locale: str) -> OutboxMessage:
    with force_locale(locale):
        subject = _("Someone tried to register at MotCua with your email address")
        body = "\n".join([
            _("Hello %(name)s,", name=full_name(user)),
            _("Someone asked to register a new account with this email address, which already "
              "has an account. If it was you, log in, or choose a new password here:"),
            _link("accounts.forgot_password"),
            _("If it was not you, ignore this email: nothing has changed."),
        ])
    return _queue_mail(user, "already_registered", subject, body, locale)


def resend_verification(user: Any, locale: str = "vi") -> None:
    _queue_verification(user, locale)
    db.session.flush()


def confirm_email(user: Any) -> None:
    """The address is proven: record it (once) and activate the account."""
    profile = get_profile(user)
    if profile.email_verified_at is None:
        profile.email_verified_at = utcnow()
    user.active = True


def verify_email(token: str) -> tuple[Any, str]:
    """Activate the account of a verification link: (user, problem)."""
    user, problem = tokens.token_user(token, tokens.VERIFY_SALT, tokens.VERIFY_MAX_AGE)
    if user is None:
        return None, problem
    confirm_email(user)
    db.session.flush()
    return user, ""


def request_password_reset(email: str, locale: str = "vi") -> None:
    """Email a reset link if the address belongs to an account; silent otherwise."""
    user = find_by_login(email)
    if user is None or not user.email:
        return
    link = _link("accounts.reset_password", token=tokens.make_token(user, tokens.RESET_SALT))
    with force_locale(locale):
        subject = _("Reset your MotCua password")
        body = "\n".join([
            _("Hello %(name)s,", name=full_name(user)),
            _("Open this link to choose a new password (valid for 2 hours):"), link,
            _("If you did not ask for this, ignore this email: your password stays the same."),
        ])
    _queue_mail(user, "reset_password", subject, body, locale)
    db.session.flush()


def reset_password(token: str, password: str) -> tuple[Any, str]:
    """Set a new password from a reset link (the link then stops working)."""
    user, problem = tokens.token_user(token, tokens.RESET_SALT, tokens.RESET_MAX_AGE)
    if user is None:
        return None, problem
    user.password = generate_password_hash(password)
    # Receiving the link proves the address: activate an account never verified.
    if get_profile(user).email_verified_at is None:
        confirm_email(user)
    db.session.flush()
    return user, ""


def profile_values(user: Any) -> dict[str, Any]:
    """What forms may prefill (the schema's x-prefill keys)."""
    profile = db.session.get(UserProfile, user.id)
    values = {"full_name": full_name(user), "email": user.email or ""}
    if profile is not None:
        values.update({
            "phone": profile.phone or "", "citizen_id": profile.citizen_id or "",
            "address": profile.address or "", "gender": profile.gender or "",
            "date_of_birth": profile.date_of_birth.isoformat() if profile.date_of_birth else "",
        })
    return {k: v for k, v in values.items() if v}


def update_profile(user: Any, *, full_name_: str, phone: str, citizen_id: str | None,
                   date_of_birth: dt.date | None, gender: str | None, address: str | None) -> None:
    """Save the citizen's own details."""
    user.first_name, user.last_name = split_name(full_name_)
    profile = get_profile(user)
    profile.phone = phone
    profile.citizen_id = citizen_id or None
    profile.date_of_birth = date_of_birth
    profile.gender = gender or None
    profile.address = address or None
    db.session.flush()
