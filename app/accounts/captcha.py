"""A self-hosted captcha (the `captcha` package): a picture and its spoken alternative.

Answers stay on the server. Digits only, so a phone shows its number pad and the audio reads
Vietnamese numbers (voices recorded by scripts/make_captcha_voices.py); dark ink on white for
contrast. Each check is logged as passed/failed so the share right first time can be measured
with real users (docs/accessibility.md).
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from functools import cache
from pathlib import Path

from flask import request
from flask_babel import gettext as _
from sqlalchemy import delete

from app.accounts.models import CaptchaChallenge
from app.core.types import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

# No 0 and 1: they read as O and I/7 once distorted.
ALPHABET = "23456789"
LENGTH = 5
LIFETIME = dt.timedelta(minutes=20)
INK = (20, 30, 70, 255)         # contrast 15:1 against white (WCAG asks 4.5:1)
PAPER = (255, 255, 255)
VOICES = Path(__file__).with_name("voices") / "vi"


def new_challenge(replacing: str | None = None) -> str:
    """Create a challenge (dropping the one it replaces) and return its id."""
    db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.created_at < utcnow() - LIFETIME))
    if replacing:
        db.session.execute(delete(CaptchaChallenge).where(CaptchaChallenge.id == replacing))
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
    return _painter().generate(challenge.answer, bg_color=PAPER, fg_color=INK).getvalue()


@cache
def _painter():
    """The picture maker with its fonts, loaded once per process by the first picture."""
    from captcha.image import ImageCaptcha

    return ImageCaptcha(width=200, height=70)


@cache
def _speaker():
    """The voices, read once per process by the first spoken challenge."""
    from captcha.audio import AudioCaptcha

    speaker = AudioCaptcha(voicedir=str(VOICES))
    speaker.load()
    return speaker


def audio_wav(challenge_id: str) -> bytes | None:
    """The spoken challenge (WAV, Vietnamese digits), or None."""
    challenge = db.session.get(CaptchaChallenge, challenge_id or "")
    if challenge is None:
        return None
    return bytes(_speaker().generate(challenge.answer))


def check_answer(challenge_id: str, answer: str) -> bool:
    """True if the answer matches; a challenge is used once, right or wrong."""
    challenge = db.session.get(CaptchaChallenge, challenge_id or "")
    if challenge is None:
        log.info("captcha expired")
        return False
    expected, created = challenge.answer, challenge.created_at
    db.session.delete(challenge)
    db.session.flush()
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.timezone.utc)
    if utcnow() - created > LIFETIME:
        log.info("captcha expired")
        return False
    given = "".join((answer or "").split()).upper()
    passed = secrets.compare_digest(given.encode(), expected.encode())
    log.info("captcha %s", "passed" if passed else "failed")
    return passed


def refresh_requested() -> bool:
    """The citizen pressed "another code" (the button that works without JavaScript).

    That button comes first in the form, so Enter in a field also sends it: with a code typed,
    the form is meant, not a new picture.
    """
    return "captcha_refresh" in request.form and not request.form.get("captcha", "").strip()


def accepted(form) -> bool:
    """Check the code typed in a form with a captcha; on failure put the message beside it."""
    if check_answer(form.captcha_id.data, form.captcha.data or ""):
        return True
    form.captcha.errors = list(form.captcha.errors) + [
        _("The confirmation code is not right; type the new one.")]
    return False
