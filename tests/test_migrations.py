"""Migrations build an empty database from nothing and match the models exactly."""
from __future__ import annotations

import os
import tempfile
import uuid

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db, init_migrate


@pytest.fixture
def empty_database_url(is_postgres):
    """A brand-new empty database of the kind the suite runs on."""
    if not is_postgres:
        yield "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="motcua-mig-"), "m.db")
        return
    base = make_url(os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"motcua_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_leaves_no_autogenerate_diff(empty_database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    init_migrate(app)  # bound by the `db` command, not by create_app (docs/performance.md)
    with app.app_context():
        flask_migrate.upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"ab_user", "administrative_units", "procedures", "procedure_versions",
                "dossiers", "attachments", "dossier_events", "user_units"} <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        db.session.remove()
        db.engine.dispose()
