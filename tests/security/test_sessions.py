"""Accounts and sessions: logout and password changes end every copy of a session or token;
logins are limited per client and per account; nothing tells an attacker which accounts exist."""
from __future__ import annotations

import statistics
import time

import pytest
from werkzeug.security import generate_password_hash

from app.extensions import db
from tests.factories import PASSWORD, create_user
from tests.helpers import api_token, logout, web_login

NEW_PASSWORD = "Moi@Matkhau2026"


@pytest.fixture
def citizen(app):
    with app.app_context():
        return create_user("citizen", "Citizen").id


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def test_a_copied_session_cookie_stops_working_at_logout(app, client, citizen):
    web_login(client, "citizen")
    copied = cookie_of(client)
    assert client.get("/account/profile").status_code == 200
    logout(client)
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/account/profile")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_get_logout_does_not_log_out(app, client, citizen):
    web_login(client, "citizen")
    assert client.get("/logout/").status_code == 405
    assert client.get("/account/profile").status_code == 200
    assert client.post("/logout/").status_code == 302
    assert client.get("/account/profile").status_code == 302


def test_the_session_is_rotated_at_login(app, client, citizen):
    client.get("/account/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    web_login(client, "citizen")
    with client.session_transaction() as sess:
        assert "planted" not in sess and sess.get("_gen") == 0


def change_password(client, current: str):
    return client.post("/resetmypassword/form", data={
        "current_password": current, "password": NEW_PASSWORD, "conf_password": NEW_PASSWORD})


def test_changing_ones_password_needs_the_current_one(app, client, citizen):
    web_login(client, "citizen")
    response = change_password(client, "not-my-password")
    assert response.status_code == 200
    with app.app_context():
        user = app.appbuilder.sm.get_user_by_id(citizen)
        assert app.appbuilder.sm.auth_user_db("citizen", PASSWORD) is not None
        assert user is not None


def test_a_password_change_ends_old_cookies_and_tokens_but_not_this_session(app, client, citizen):
    api = app.test_client()
    access = api_token(api, "citizen")
    refresh = api.post("/api/v1/security/login", json={
        "username": "citizen", "password": PASSWORD, "provider": "db", "refresh": True,
    }).get_json()["refresh_token"]
    other = app.test_client()
    web_login(other, "citizen")
    web_login(client, "citizen")
    assert change_password(client, PASSWORD).status_code == 302
    assert client.get("/account/profile").status_code == 200  # the session that changed it
    assert other.get("/account/profile").status_code == 302
    stale = api.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {access}"})
    assert stale.status_code == 401 and stale.get_json()["message"]
    assert api.post("/api/v1/security/refresh",
                    headers={"Authorization": f"Bearer {refresh}"}).status_code == 401
    fresh = api_token(api, "citizen", NEW_PASSWORD)
    assert api.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_logout_and_deactivation_end_tokens(app, client, citizen):
    token = api_token(client, "citizen")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/dossiers", headers=headers).status_code == 200
    with app.app_context():
        user = app.appbuilder.sm.get_user_by_id(citizen)
        user.active = False
        db.session.commit()
        user.active = True
        db.session.commit()
    assert client.get("/api/v1/dossiers", headers=headers).status_code == 401


def test_a_password_set_anywhere_ends_sessions(app, citizen):
    client = app.test_client()
    web_login(client, "citizen")
    with app.app_context():
        user = app.appbuilder.sm.get_user_by_id(citizen)
        user.password = generate_password_hash(NEW_PASSWORD)
        db.session.commit()
    assert client.get("/account/profile").status_code == 302


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.x"])
def test_a_bad_token_answers_401_with_a_message(client, token):
    response = client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert set(response.get_json()) == {"message"}


def test_a_token_claiming_another_user_with_a_wrong_signature_is_refused(app, client, citizen):
    """The request preloads the user a token names before FAB verifies it: a forged token naming
    a real user still answers 401, and nothing of that user is served."""
    import base64
    import json

    with app.app_context():
        officer = create_user("officer", "Officer").id
    real = api_token(client, "citizen")
    header, _payload, signature = real.split(".")
    claims = json.loads(base64.urlsafe_b64decode(_payload + "=" * (-len(_payload) % 4)))
    claims["sub"] = str(officer)
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    forged = f"{header}.{forged_payload}.{signature}"
    response = client.get("/api/v1/dossiers", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and set(response.get_json()) == {"message"}
    assert client.get("/api/v1/dossiers",
                      headers={"Authorization": f"Bearer {real}"}).status_code == 200


def test_api_login_is_rate_limited_per_client(limited, citizen):
    limited.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = limited.test_client()
    codes = [client.post("/api/v1/security/login", json={
        "username": f"user{i}", "password": "wrong", "provider": "db"}).status_code for i in range(4)]
    assert codes == [401, 401, 401, 429]
    assert client.post("/api/v1/security/login", json={}).get_json()["message"]


def test_every_login_door_is_limited_per_account(limited, citizen):
    limited.config["ACCOUNT_LOGIN_RATE_LIMIT"] = "3 per minute"
    doors = []
    for i, (path, body) in enumerate([
            ("/api/v1/security/login", {"json": {"username": "citizen", "password": "x", "provider": "db"}}),
            ("/account/login", {"data": {"login": "citizen", "password": "x"}}),
            ("/login/", {"data": {"username": "citizen", "password": "x"}})]):
        client = limited.test_client()
        doors.append(client.post(path, environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"}, **body).status_code)
    assert doors == [401, 200, 302]  # three failures from three addresses
    for path, body in [("/api/v1/security/login", {"json": {"username": "citizen", "password": PASSWORD,
                                                            "provider": "db"}}),
                       ("/account/login", {"data": {"login": "citizen", "password": PASSWORD}})]:
        client = limited.test_client()
        response = client.post(path, environ_base={"REMOTE_ADDR": "10.0.0.9"}, **body)
        assert response.status_code == 429, path  # even the right password waits
    other = limited.test_client().post("/api/v1/security/login", json={
        "username": "someone-else", "password": "x", "provider": "db"})
    assert other.status_code == 401


def test_login_takes_as_long_for_an_unknown_user_as_for_a_wrong_password(app, client, citizen):
    def timed(login: str) -> float:
        start = time.perf_counter()
        client.post("/account/login", data={"login": login, "password": "wrong-password"})
        return time.perf_counter() - start

    timed("warm-up")
    unknown = statistics.median(timed(f"nobody{i}@example.test") for i in range(5))
    wrong = statistics.median(timed("citizen") for _ in range(5))
    assert unknown > wrong * 0.6, (unknown, wrong)


def test_back_office_pages_still_send_visitors_to_the_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    # FAB's protected views send visitors to its /login/, which passes them on to the one
    # login page with where they were going
    fab = client.get("/users/list/")
    assert fab.status_code == 302 and "/login/" in fab.headers["Location"]
    one = client.get(fab.headers["Location"])
    assert one.status_code == 302
    assert one.headers["Location"].startswith("/account/login?next=/users/list/")
