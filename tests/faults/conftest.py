"""Fixtures of the fault tests: a second app behind a PostgreSQL proxy that cuts connections."""
from __future__ import annotations

import pytest

from app import create_app
from app.extensions import db
from tests.faults.pgproxy import PgProxy, database_url_from_env
from tests.portal.conftest import birth  # noqa: F401 - the portal's fixture, reused


@pytest.fixture
def postgres_only(is_postgres):
    if not is_postgres:
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL)")


@pytest.fixture(scope="module")
def _proxied(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        yield None
        return
    proxy = PgProxy(database_url_from_env())
    proxied = create_app("testing", SQLALCHEMY_DATABASE_URI=proxy.url,
                         UPLOAD_DIR=app.config["UPLOAD_DIR"])
    yield proxied, proxy
    with proxied.app_context():
        db.engine.dispose()
    proxy.close()


@pytest.fixture
def proxied(_proxied, postgres_only):
    """(app, proxy): the same database reached through a proxy that can fail on demand."""
    proxied_app, proxy = _proxied
    proxy.up()
    proxy.mode = None
    yield proxied_app, proxy
    proxy.up()
    proxy.mode = None
