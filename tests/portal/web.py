"""Helpers for the web-page tests: log in, read the captcha answer on the server side."""
from __future__ import annotations

import re

from app.accounts.models import CaptchaChallenge
from app.extensions import db
from tests.factories import PASSWORD


def login(client, username: str, password: str = PASSWORD) -> None:
    response = client.post("/account/login", data={"login": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def captcha_answer(app, html: str) -> tuple[str, str]:
    """(challenge id, answer) of the captcha on a page: the answer comes from the server's store."""
    match = re.search(r'name="captcha_id" type="hidden" value="([^"]+)"', html)
    assert match, "no captcha on the page"
    challenge_id = match.group(1)
    with app.app_context():
        return challenge_id, db.session.get(CaptchaChallenge, challenge_id).answer


def field_message(html: str, field_id: str) -> str:
    """The error message shown beside a field."""
    match = re.search(rf'id="{re.escape(field_id)}-msg">([^<]+)<', html)
    return match.group(1).strip() if match else ""
