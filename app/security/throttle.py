"""Failed logins counted per account in the shared limiter store, whatever the client address."""
from __future__ import annotations

import hashlib

from flask import current_app
from flask_babel import lazy_gettext as _l
from limits import parse
from werkzeug.exceptions import TooManyRequests

from app.extensions import limiter

NAMESPACE = "login-account"


class AccountThrottled(TooManyRequests):
    """Too many wrong passwords for this account lately."""

    description = _l("Too many failed logins for this account; please wait a few minutes and try again.")


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED")) and limiter.enabled and limiter.initialized


def _key(login: str) -> str:
    return hashlib.sha256((login or "").strip().lower().encode()).hexdigest()[:32]


def _item():
    return parse(current_app.config.get("ACCOUNT_LOGIN_RATE_LIMIT", "10 per 15 minutes"))


def check_account(login: str) -> None:
    """Raise AccountThrottled when the account's failures used up its allowance."""
    if _enabled() and not limiter.limiter.test(_item(), NAMESPACE, _key(login)):
        raise AccountThrottled()


def note_failure(login: str) -> None:
    if _enabled():
        limiter.limiter.hit(_item(), NAMESPACE, _key(login))
