"""The public lookup: one counter per client for the page and the API, a code locked after a
few wrong phone digits whoever tries, counters in the shared store."""
from __future__ import annotations

import pytest

from tests.factories import UnitFactory, create_dossier, create_user
from tests.security.conftest import REDIS_URL, needs_redis


@pytest.fixture
def dossier_code(app):
    with app.app_context():
        citizen = create_user("citizen", "Citizen")
        return create_dossier(citizen, UnitFactory(code="25279")).code  # phone ends in 5678


def ask(client, code, digits, api, address="192.0.2.1"):
    path = "/api/v1/lookup/" if api else "/lookup"
    return client.get(f"{path}?code={code}&phone4={digits}", environ_base={"REMOTE_ADDR": address})


def test_page_and_api_share_one_counter_per_client(limited, dossier_code):
    limited.config.update(LOOKUP_RATE_LIMIT="3 per minute", LOOKUP_CODE_LOCK="100 per minute")
    client = limited.test_client()
    codes = [ask(client, dossier_code, "5678", api).status_code for api in (False, True, False, True)]
    assert codes == [200, 200, 200, 429]


def test_a_code_is_locked_after_wrong_digits_from_anyone(limited, dossier_code):
    limited.config.update(LOOKUP_RATE_LIMIT="100 per minute", LOOKUP_CODE_LOCK="3 per minute")
    client = limited.test_client()
    misses = [ask(client, dossier_code, digits, api, f"192.0.2.{i}")
              for i, (digits, api) in enumerate([("0000", True), ("1111", False), ("2222", True)])]
    assert [r.status_code for r in misses] == [404, 200, 404]
    assert misses[0].get_json() == {"message": misses[2].get_json()["message"]}  # nothing more said
    right = ask(client, dossier_code, "5678", True, "198.51.100.9")
    assert right.status_code == 429 and right.get_json()["message"]
    assert ask(client, dossier_code, "5678", False, "198.51.100.9").status_code == 429
    # A code that does not exist is locked the same way: the lock reveals nothing.
    for digits in ("0000", "1111", "2222"):
        ask(client, "25279-000101-9999", digits, True)
    assert ask(client, "25279-000101-9999", "3333", True).status_code == 429


@needs_redis
def test_lookup_counters_live_in_redis(make_app, dossier_code):
    import redis

    from app.extensions import limiter

    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    shared = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=REDIS_URL,
                      LOOKUP_RATE_LIMIT="2 per minute")
    limiter.reset()
    client = shared.test_client()
    assert [ask(client, dossier_code, "0000", True).status_code for _ in range(3)] == [404, 404, 429]
    keys = [k.decode() for k in store.keys("*")]
    assert any("lookup" in k for k in keys), keys
    store.flushdb()
