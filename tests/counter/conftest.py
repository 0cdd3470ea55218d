"""Fixtures of the counter tests: the back office's world plus a procedure asking for a paper."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.procedures.models import Procedure, ProcedureVersion
from tests.backoffice.conftest import Clock, at, make_world  # noqa: F401 - shared fixtures
from tests.factories import SIMPLE_SCHEMA

PAPER = {"key": "to_khai", "title": "Tờ khai đăng ký khai sinh", "required": True}


@pytest.fixture
def world(app):
    with app.app_context():
        result = make_world()
        procedure = db.session.query(Procedure).filter_by(code=result.procedure_code).one()
        version = procedure.current_version
        db.session.delete(version)
        db.session.flush()
        db.session.add(ProcedureVersion(procedure=procedure, number=1, schema=SIMPLE_SCHEMA,
                                        ui_schema={}, required_documents=[PAPER],
                                        published_at=version.published_at))
        procedure.extra = {"forwardable": True}
        db.session.commit()
        db.session.remove()
    return result


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)
