"""The public pages as a national portal needs them: a unit chosen by name (not a list of every
unit)."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.dossiers.operations import perform_action
from app.extensions import db
from app.procedures.models import Procedure
from app.units.models import AdministrativeUnit
from tests.backoffice.util import new_dossier, user
from tests.factories import UnitFactory, create_dossier


def _province_code(app, world) -> str:
    with app.app_context():
        return db.session.get(AdministrativeUnit, world.province_id).code


def _file_at(world, unit_code: str, officer: str = "officer2"):
    unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == unit_code))
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == world.procedure_code))
    dossier = create_dossier(user("citizen"), unit, procedure=procedure, status="submitted")
    perform_action(user(officer), dossier, "receive")
    db.session.commit()
    return dossier.code


def test_the_log_chooses_the_unit_by_name_province_then_commune(app, client, world):
    with app.app_context():
        here = new_dossier(world)
        perform_action(user("officer"), here, "receive")
        db.session.commit()
        here = here.code
        there = _file_at(world, world.other_unit_code)
    province = _province_code(app, world)
    page = client.get("/public/dossiers").get_data(as_text=True)
    assert "data-mcf-unit-picker" in page  # the form engine's picker, with its search (forms.js)
    assert f'<option value="{province}"' in page
    # No list of every unit: the communes are offered once their province is chosen.
    assert f'value="{world.unit_code}"' not in page and f'value="{world.other_unit_code}"' not in page
    commune = client.get("/public/dossiers", query_string={
        "unit._province": province, "unit": world.unit_code}).get_data(as_text=True)
    assert here in commune and there not in commune
    assert re.search(rf'<option value="{world.unit_code}" selected>', commune)
    assert f'<option value="{world.other_unit_code}">' in commune  # its neighbours, to change
    whole = client.get("/public/dossiers", query_string={"unit._province": province, "unit": ""})
    assert here in whole.get_data(as_text=True) and there in whole.get_data(as_text=True)
    # A commune left from another province than the one now chosen: the province alone.
    with app.app_context():
        elsewhere = UnitFactory(level="province").code
        db.session.commit()
    moved = client.get("/public/dossiers", query_string={"unit._province": elsewhere,
                                                         "unit": world.unit_code})
    assert moved.status_code == 200 and here not in moved.get_data(as_text=True)
    # Links and the API keep their plain codes.
    assert there not in client.get(f"/public/dossiers?unit={world.unit_code}").get_data(as_text=True)
    api = client.get(f"/api/v1/public/dossiers?province={province}").get_json()["result"]
    assert {r["code"] for r in api} == {here, there}
