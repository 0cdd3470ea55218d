"""Fixtures of the citizen portal tests: a commune offering birth registration, two citizens."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.procedures.definitions import load_file
from app.procedures.operations import import_definition
from tests.factories import ProvinceFactory, UnitFactory, create_user
from tests.portal.data import BIRTH_DEFINITION


@pytest.fixture
def birth(app) -> dict:
    """Unit and procedure codes of a commune offering birth registration; users citizen/citizen2."""
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai", search_name="tinh dong nai")
        unit = UnitFactory(code="25279", name="Xã Lộc Tấn", search_name="xa loc tan",
                           parent=province)
        import_definition(load_file(str(BIRTH_DEFINITION)), [unit.code])
        db.session.commit()
        create_user("citizen", "Citizen", phone="0912345678")
        create_user("citizen2", "Citizen", phone="0987654321")
        create_user("officer", "Officer", units=[unit])
        return {"unit": unit.code, "province": province.code, "procedure": "1.001193"}
