"""Apps with the production-like switches on (limits, headers), sharing the suite's database."""
from __future__ import annotations

import os
import socket

import pytest

from app import create_app
from app.extensions import limiter
from tests.portal.conftest import birth  # noqa: F401 - the commune offering birth registration


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


# Each test run has its own Redis database (make test runs SQLite and PostgreSQL side by side).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
needs_redis = pytest.mark.skipif(not redis_available(), reason="Redis is not running on 127.0.0.1:6379")


@pytest.fixture
def make_app(app):
    """create_app(config, **overrides) on the suite's database; the shared limiter is switched
    back off afterwards (Flask-Limiter keeps one state for the singleton)."""
    def factory(config: str = "testing", **overrides):
        settings = {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                    "UPLOAD_DIR": app.config["UPLOAD_DIR"], **overrides}
        return create_app(config, **settings)
    yield factory
    limiter.enabled = False


@pytest.fixture
def limited(make_app):
    """A testing app with every rate limit and quota on, counters in memory and fresh."""
    application = make_app(RATELIMIT_ENABLED=True, AUTH_RATE_LIMITED=True,
                           RATELIMIT_STORAGE_URI="memory://")
    limiter.reset()
    return application
