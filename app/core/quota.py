"""Per-user quotas in the shared limiter store (config *_QUOTA, flask-limiter syntax);
RATELIMIT_ENABLED=false lifts them with every rate limit."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from limits import parse
from werkzeug.exceptions import TooManyRequests

from app.extensions import limiter

DEFAULTS = {
    "DOSSIER_CREATE_QUOTA": "30 per hour",
    "DOSSIER_SUBMIT_QUOTA": "10 per hour",
    "UPLOAD_QUOTA": "120 per hour",
}


class QuotaExceeded(TooManyRequests):
    """Answered 429 with a message by the API (status/message) and the error page alike."""

    def __init__(self, message: str):
        super().__init__(description=message)
        self.status, self.message, self.errors = 429, message, []


def spend(name: str, user_id: int | None) -> None:
    """Count one use of the quota `name` by the user; QuotaExceeded when it is used up."""
    if user_id is None or not current_app.config.get("RATELIMIT_ENABLED") \
            or not (limiter.enabled and limiter.initialized):
        return
    item = parse(current_app.config.get(name) or DEFAULTS[name])
    if not limiter.limiter.hit(item, "quota", name, str(user_id)):
        raise QuotaExceeded(_("You have done this too many times in a short while; please try "
                              "again later or contact the office."))
