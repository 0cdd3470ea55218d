"""Registration with captcha and email verification, login, password reset, profile, OIDC."""
from __future__ import annotations

import re

import pytest
import requests
from sqlalchemy import select

from app import create_app
from app.accounts.models import OidcIdentity
from app.extensions import db
from app.notifications.delivery import deliver_pending
from app.security.models import UserProfile
from tests.factories import create_user
from tests.portal.oidc_provider import Provider
from tests.portal.smtp import smtp_server
from tests.portal.web import captcha_answer, field_message, login

STRONG = "Hoa@2026xyz!"


def register(app, client, **overrides):
    page = client.get("/account/register").get_data(as_text=True)
    challenge, answer = captcha_answer(app, page)
    data = {"full_name": "Lê Thị Hoa", "email": "hoa@example.com", "phone": "0901 234 567",
            "password": STRONG, "confirm": STRONG, "captcha_id": challenge, "captcha": answer}
    data.update(overrides)
    return client.post("/account/register", data=data)


def mailed_link(inbox, path: str) -> str:
    body = inbox.messages[-1].get_content()
    return re.search(rf"https?://[^\s]+({re.escape(path)}[^\s]+)", body).group(1)


def test_register_verify_by_email_then_log_in(app, client):
    response = register(app, client)
    assert response.status_code == 200 and "hoa@example.com" in response.get_data(as_text=True)
    # Not active before the email is confirmed.
    refused = client.post("/account/login", data={"login": "hoa@example.com", "password": STRONG})
    assert refused.status_code == 200 and field_message(refused.get_data(as_text=True), "login")
    with smtp_server(app) as inbox, app.app_context():
        deliver_pending()
    assert inbox.messages[0]["To"] == "hoa@example.com"
    link = mailed_link(inbox, "/account/verify/")
    assert client.get(link).status_code == 302
    response = client.post("/account/login", data={"login": "HOA@example.com", "password": STRONG})
    assert response.status_code == 302 and response.headers["Location"].endswith("/my/dossiers")
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="hoa@example.com")
        profile = db.session.get(UserProfile, user.id)
        assert (user.last_name, user.first_name) == ("Lê", "Thị Hoa")
        assert profile.phone == "0901234567" and profile.email_verified_at is not None


def test_registration_errors_stay_beside_fields_and_values_are_kept(app, client):
    response = register(app, client, phone="12345", password="weak", confirm="weaker", captcha="XXXXX")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for field in ("phone", "password", "confirm", "captcha"):
        assert field_message(html, field), field
    assert 'value="Lê Thị Hoa"' in html and 'value="hoa@example.com"' in html
    with app.app_context():
        assert app.appbuilder.sm.find_user(email="hoa@example.com") is None


def test_phone_and_email_are_both_required(app, client):
    html = register(app, client, phone="", email="").get_data(as_text=True)
    assert field_message(html, "phone") and field_message(html, "email")


def test_captcha_is_single_use(app, client):
    page = client.get("/account/register").get_data(as_text=True)
    challenge, answer = captcha_answer(app, page)
    image = client.get(f"/account/captcha/{challenge}.png")
    assert image.status_code == 200 and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    data = {"full_name": "Lê Thị Hoa", "email": "hoa@example.com", "phone": "0901234567",
            "password": "weak", "confirm": "weak", "captcha_id": challenge, "captcha": answer}
    client.post("/account/register", data=data)  # fails on the password, uses the captcha
    data.update(password=STRONG, confirm=STRONG)
    html = client.post("/account/register", data=data).get_data(as_text=True)
    assert field_message(html, "captcha")


def test_duplicate_email_is_not_revealed_and_its_owner_is_told(app, client):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.notifications.models import OutboxMessage

    first = register(app, client)
    second = register(app, client)
    assert second.status_code == first.status_code == 200
    html = second.get_data(as_text=True)
    assert not field_message(html, "email") and "Đã có tài khoản" not in html
    assert "hoa@example.com" in html
    with app.app_context():
        events = db.session.scalars(select(OutboxMessage.event).where(
            OutboxMessage.recipient == "hoa@example.com")).all()
        assert sorted(events) == ["already_registered", "verify_email"]
        model = app.appbuilder.sm.user_model
        assert db.session.scalar(select(func.count(model.id))) == 1


def test_password_reset_by_email(app, client):
    with app.app_context():
        create_user("citizen", "Citizen")
    with smtp_server(app) as inbox:
        response = client.post("/account/password/forgot", data={"email": "citizen@example.test"})
        assert response.status_code == 200
        with app.app_context():
            deliver_pending()
    link = mailed_link(inbox, "/account/password/reset/")
    weak = client.post(link, data={"password": "short", "confirm": "short"})
    assert field_message(weak.get_data(as_text=True), "password")
    assert client.post(link, data={"password": STRONG, "confirm": STRONG}).status_code == 302
    login(client, "citizen", STRONG)
    # The link works once: the password changed, so the signature no longer matches.
    assert client.get(link).status_code == 400


def test_unknown_email_reset_says_the_same_and_sends_nothing(app, client):
    response = client.post("/account/password/forgot", data={"email": "nobody@example.com"})
    assert response.status_code == 200
    with app.app_context():
        assert deliver_pending().sent == 0


def test_profile_page_saves_details_used_for_prefill(app, client):
    with app.app_context():
        create_user("citizen", "Citizen")
    login(client, "citizen")
    response = client.post("/account/profile", data={
        "full_name": "Nguyễn Văn An", "phone": "0912345678", "citizen_id": "075090001234",
        "date_of_birth": "1990-05-01", "gender": "nam", "address": "Ấp 3, xã Lộc Tấn"})
    assert response.status_code == 302
    html = client.get("/account/profile").get_data(as_text=True)
    assert 'value="075090001234"' in html and "Ấp 3, xã Lộc Tấn" in html
    bad = client.post("/account/profile", data={"full_name": "An", "phone": "0912345678",
                                                "citizen_id": "123"})
    assert field_message(bad.get_data(as_text=True), "citizen_id")


@pytest.fixture
def provider(app):
    server = Provider().start()
    app.config["OIDC_PROVIDERS"] = {"vneid": {
        "title": "VNeID", "client_id": server.client_id, "client_secret": server.client_secret,
        "server_metadata_url": f"{server.issuer}/.well-known/openid-configuration",
        "scope": "openid profile"}}
    from app.accounts.oidc import init_oidc

    init_oidc(app)
    yield server
    app.config.pop("OIDC_PROVIDERS")
    init_oidc(app)
    server.stop()


def oidc_round_trip(client) -> str:
    """Follow our redirect to the provider over real HTTP, then come back with its code."""
    start = client.get("/account/oidc/vneid/login")
    assert start.status_code == 302
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302
    callback = at_provider.headers["Location"].replace("http://localhost", "")
    response = client.get(callback)
    return response.headers.get("Location", "")


def test_oidc_login_creates_a_citizen_with_a_prefilled_profile(app, client, provider):
    assert oidc_round_trip(client).endswith("/my/dossiers")
    assert client.get("/my/dossiers").status_code == 200
    with app.app_context():
        identity = db.session.scalar(select(OidcIdentity))
        user = identity.user
        profile = db.session.get(UserProfile, user.id)
        assert identity.provider == "vneid" and identity.subject == "vneid-0001"
        assert (user.last_name, user.first_name, user.email) == ("Lê", "Thị Hoa", "hoa@example.com")
        assert profile.citizen_id == "075090001234" and profile.date_of_birth.isoformat() == "1990-03-15"
        assert [r.name for r in user.roles] == ["Citizen"]
    # A second login finds the same account.
    client.post("/account/logout")
    oidc_round_trip(client)
    with app.app_context():
        assert db.session.query(OidcIdentity).count() == 1


def test_oidc_login_with_a_forged_token_fails_cleanly(app, client, provider):
    from cryptography.hazmat.primitives.asymmetric import rsa

    provider.key, real = rsa.generate_private_key(public_exponent=65537, key_size=2048), provider.key
    provider._jwk = lambda: {**__import__("json").loads(
        __import__("jwt").algorithms.RSAAlgorithm.to_jwk(real.public_key())), "kid": "k1"}
    assert oidc_round_trip(client).endswith("/account/login")
    with app.app_context():
        assert db.session.query(OidcIdentity).count() == 0


def test_csrf_token_is_required_when_enabled(app, birth):
    strict = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                        UPLOAD_DIR=app.config["UPLOAD_DIR"], WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    response = client.post("/account/login", data={"login": "citizen", "password": "Test@12345x"})
    assert response.status_code == 400
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/account/login", data={"login": "citizen", "password": "Test@12345x",
                                                   "csrf_token": token})
    assert response.status_code == 302


def test_login_and_lookup_are_rate_limited(app, birth):
    limited = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                         UPLOAD_DIR=app.config["UPLOAD_DIR"], RATELIMIT_ENABLED=True,
                         LOGIN_RATE_LIMIT="3 per minute", LOOKUP_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    codes = [client.post("/account/login", data={"login": "citizen", "password": "wrong"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    codes = [client.get("/api/v1/lookup?code=25279-261001-0001&phone4=1234").status_code for _ in range(3)]
    assert codes == [404, 404, 429]
    codes = [client.get("/lookup?code=25279-261001-0001&phone4=1234").status_code for _ in range(3)]
    assert codes[-1] == 429
