"""A self-hosted image captcha (the `captcha` package); answers stay on the server."""
from __future__ import annotations

import datetime as dt
import secrets

from captcha.image import ImageCaptcha
from flask_babel import gettext as _
from sqlalchemy import delete

from app.accounts.models import CaptchaChallenge
from app.core.types import utcnow
from app.extensions import db

# No 0/O, 1/I/L, 9/g: letters people confuse on a phone screen.
ALPHABET = "ABCDEFHKMNPRSTUVWXY2345678"
LENGTH = 5
LIFETIME = dt.timedelta(minutes=20)


def new_challenge() -> str:
    """Create a challenge and return its id (the image is served by id)."""
    db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.created_at < utcnow() - LIFETIME))
    challenge = CaptchaChallenge(id=secrets.token_urlsafe(18),
                                 answer="".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))
    db.session.add(challenge)
    db.session.flush()
    return challenge.id


def image_png(challenge_id: str) -> bytes | None:
    """The PNG image of a live challenge, or None."""
    challenge = db.session.get(CaptchaChallenge, challenge_id or "")
    if challenge is None:
        return None
    return ImageCaptcha(width=200, height=70).generate(challenge.answer).getvalue()


def check_answer(challenge_id: str, answer: str) -> bool:
    """True if the answer matches; a challenge is used once, right or wrong."""
    challenge = db.session.get(CaptchaChallenge, challenge_id or "")
    if challenge is None:
        return False
    expected, created = challenge.answer, challenge.created_at
    db.session.delete(challenge)
    db.session.flush()
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.timezone.utc)
    if utcnow() - created > LIFETIME:
        return False
    given = "".join((answer or "").split()).upper()
    return secrets.compare_digest(given.encode(), expected.encode())


def accepted(form) -> bool:
    """Check the code typed in a form with a captcha; on failure put the message beside it."""
    if check_answer(form.captcha_id.data, form.captcha.data or ""):
        return True
    form.captcha.errors = list(form.captcha.errors) + [
        _("The confirmation code is not right; type the new one.")]
    return False
