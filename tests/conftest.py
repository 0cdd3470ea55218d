"""Test fixtures: one app per session, tables emptied after every test.

Every test runs on SQLite; with TEST_DATABASE_URL set (see .ci/run) the suite runs on
PostgreSQL. Never hold an app context while using the test client (FAB_NOTES 8).
"""
from __future__ import annotations

import os
import tempfile

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import db

# Rows that survive between tests: the permission model synced once per session.
KEEP_TABLES = {"ab_permission", "ab_view_menu", "ab_permission_view", "ab_role",
               "ab_permission_view_role", "alembic_version",
               # monotonic, like the roles it stamps (app/security/permissions.py)
               "permission_revisions",
               # monotonic too (app/core/settings_cache.py)
               "settings_revisions"}


def database_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) \
            if url.startswith("postgresql://") else url
    path = os.path.join(tempfile.mkdtemp(prefix="motcua-test-"), "test.db")
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def app():
    url = database_url()
    upload_dir = tempfile.mkdtemp(prefix="motcua-uploads-")
    application = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=upload_dir)
    with application.app_context():
        db.drop_all()
        db.create_all()
        from app.security.roles import sync_roles

        sync_roles()
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def empty_tables() -> None:
    """Delete every row but the permission model's; forget the settings read from them (the
    rows go without an ORM change, so no revision moves)."""
    from app.core.settings_cache import MEMO

    MEMO.clear()
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def _clean_database(app):
    yield
    # A test that built an app with limits on leaves the one Limiter enabled: switch it off.
    from app.extensions import limiter

    limiter.enabled = False
    with app.app_context():
        db.session.rollback()
        empty_tables()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
