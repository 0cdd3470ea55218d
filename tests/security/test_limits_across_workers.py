"""Rate limits and quotas hold across several gunicorn workers when their counters live in
Redis (the production recipe): login (HTML and API), the lookup, registration and dossier
creation each stop at their limit however the requests are spread over the workers. Every
request opens its own connection, so the workers take them in turn; with per-worker memory
counters the same sequence would pass the limit once per worker."""
from __future__ import annotations

import time

import pytest
import redis
import requests

from app.extensions import db
from tests.factories import PASSWORD
from tests.portal.conftest import birth  # noqa: F401 - the commune offering birth registration
from tests.security.conftest import REDIS_URL, needs_redis
from tests.soak.processes import gunicorn_workers, start_gunicorn, stop

LIMIT = 3
WORKERS = 3


@pytest.fixture
def server(app, birth):  # noqa: F811
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    with app.app_context():
        db.session.remove()
    master, port = start_gunicorn(
        app.config["SQLALCHEMY_DATABASE_URI"], workers=WORKERS, UPLOAD_DIR=app.config["UPLOAD_DIR"],
        RATELIMIT_ENABLED=True, AUTH_RATE_LIMITED=True, RATELIMIT_STORAGE_URI=REDIS_URL,
        LOGIN_RATE_LIMIT=f"{LIMIT} per minute", LOOKUP_RATE_LIMIT=f"{LIMIT} per minute",
        REGISTER_RATE_LIMIT=f"{LIMIT} per hour", DOSSIER_CREATE_QUOTA=f"{LIMIT} per hour",
        ACCOUNT_LOGIN_RATE_LIMIT="1000 per minute")
    try:
        deadline = time.monotonic() + 30
        while len(gunicorn_workers(master)) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.2)  # the master forks its workers one after the other
        assert len(gunicorn_workers(master)) == WORKERS
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(master)
        store.flushdb()


def statuses(send, times: int = LIMIT + 3) -> list[int]:
    """Each call on a fresh connection (no session): any worker may answer it."""
    return [send().status_code for _ in range(times)]


def within_then_refused(codes: list[int], allowed: int = LIMIT) -> bool:
    return 429 not in codes[:allowed] and codes[allowed:] == [429] * (len(codes) - allowed)


@needs_redis
def test_every_limit_holds_across_the_workers(server, birth):  # noqa: F811
    token = requests.post(f"{server}/api/v1/security/login", timeout=30, json={
        "username": "citizen", "password": PASSWORD, "provider": "db"})
    assert token.status_code == 200
    api_login = statuses(lambda: requests.post(f"{server}/api/v1/security/login", timeout=30, json={
        "username": "nobody", "password": "wrong", "provider": "db"}))
    assert within_then_refused(api_login, LIMIT - 1), api_login  # the citizen's login counted

    html_login = statuses(lambda: requests.post(f"{server}/account/login", timeout=30, data={
        "login": "nobody", "password": "wrong"}))
    assert within_then_refused(html_login), html_login

    lookup = statuses(lambda: requests.get(f"{server}/api/v1/lookup/", timeout=30, params={
        "code": "25279-000101-0001", "phone4": "0000"}))
    assert within_then_refused(lookup), lookup

    register = statuses(lambda: requests.post(f"{server}/account/register", timeout=30, data={
        "full_name": "Nguyễn Văn An", "phone": "0912000111", "password": "x"}))
    assert within_then_refused(register), register

    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    create = statuses(lambda: requests.post(f"{server}/api/v1/dossiers/", timeout=30, headers=headers,
                                            json={"procedure": birth["procedure"], "unit": birth["unit"]}))
    assert create[:LIMIT] == [201] * LIMIT and create[LIMIT:] == [429] * 3, create
