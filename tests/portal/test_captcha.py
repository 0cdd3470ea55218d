"""The captcha: readable, spoken in Vietnamese, renewable, and a wrong code costs nothing else."""
from __future__ import annotations

import io
import re
import wave

from PIL import Image

from app.accounts import captcha
from app.accounts.models import CaptchaChallenge
from app.extensions import db
from tests.portal.test_accounts import STRONG, register
from tests.portal.web import captcha_answer, field_message


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_picture_is_dark_digits_on_white_with_strong_contrast(app, client):
    page = client.get("/account/register").get_data(as_text=True)
    challenge, answer = captcha_answer(app, page)
    assert re.fullmatch(r"[2-9]{5}", answer)
    image = Image.open(io.BytesIO(client.get(f"/account/captcha/{challenge}.png").data)).convert("RGB")
    colours = image.getcolors(200 * 70)
    background = max(colours)[1]
    ink = min((c for _, c in colours), key=_luminance)
    ratio = (_luminance(background) + 0.05) / (_luminance(ink) + 0.05)
    assert background == (255, 255, 255) and ratio >= 7, ratio
    assert 'inputmode="numeric"' in page


def test_the_code_can_be_heard_as_a_wav(app, client):
    page = client.get("/account/register").get_data(as_text=True)
    challenge, _ = captcha_answer(app, page)
    assert f'href="/account/captcha/{challenge}.wav"' in page
    response = client.get(f"/account/captcha/{challenge}.wav")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    with wave.open(io.BytesIO(response.data)) as sound:
        assert sound.getframerate() == 8000 and sound.getnframes() / 8000 > 5  # five spoken digits
    assert client.get("/account/captcha/unknown.wav").status_code == 404


def test_every_digit_has_a_vietnamese_voice():
    assert set(captcha.ALPHABET) <= {p.name for p in captcha.VOICES.iterdir() if any(p.glob("*.wav"))}


def test_refresh_replaces_the_code_and_keeps_what_was_typed(app, client):
    page = client.get("/account/register").get_data(as_text=True)
    old, _ = captcha_answer(app, page)
    response = client.post("/account/register", data={
        "full_name": "Lê Thị Hoa", "email": "hoa@example.com", "phone": "0901234567",
        "password": STRONG, "confirm": STRONG, "captcha_id": old, "captcha": "", "captcha_refresh": "1"})
    html = response.get_data(as_text=True)
    new, _ = captcha_answer(app, html)
    assert new != old and 'class="field-message"' not in html  # no error for asking
    assert 'value="Lê Thị Hoa"' in html and f'value="{STRONG}"' in html
    with app.app_context():
        assert db.session.get(CaptchaChallenge, old) is None


def test_the_script_refresh_gives_a_new_picture_and_drops_the_old_one(app, client):
    page = client.get("/account/register").get_data(as_text=True)
    old, _ = captcha_answer(app, page)
    fresh = client.post("/account/captcha/refresh", data={"captcha_id": old}).get_json()
    assert fresh["id"] != old and fresh["image"].endswith(f"{fresh['id']}.png")
    assert client.get(fresh["audio"]).status_code == 200
    assert client.get(f"/account/captcha/{old}.png").status_code == 404


def test_a_wrong_code_keeps_every_value_and_the_passwords(app, client):
    html = register(app, client, captcha="00000").get_data(as_text=True)
    assert field_message(html, "captcha")
    assert 'value="Lê Thị Hoa"' in html and 'value="hoa@example.com"' in html
    assert html.count(f'value="{STRONG}"') == 2


def test_a_wrong_password_is_not_shown_again(app, client):
    html = register(app, client, password="weak", confirm="weak").get_data(as_text=True)
    assert 'value="weak"' not in html


def test_no_none_valued_aria_attributes_on_the_captcha_pages(app, client, birth):
    for html in (client.get("/account/register").get_data(as_text=True),
                 register(app, client, captcha="00000").get_data(as_text=True)):
        assert '="None"' not in html


def test_enter_after_typing_the_code_submits_rather_than_refreshes(app, client):
    page = client.get("/account/register").get_data(as_text=True)
    challenge, answer = captcha_answer(app, page)
    response = client.post("/account/register", data={
        "full_name": "Lê Thị Hoa", "email": "hoa@example.com", "phone": "0901234567",
        "password": STRONG, "confirm": STRONG, "captcha_id": challenge, "captcha": answer,
        "captcha_refresh": "1"})  # the first submit button of the form, sent by Enter
    assert "hoa@example.com" in response.get_data(as_text=True)
    with app.app_context():
        assert app.appbuilder.sm.find_user(email="hoa@example.com") is not None
