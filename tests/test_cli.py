"""CLI commands of CONTRACT.md: procedures import/export, units import, audit verify."""
from __future__ import annotations

import json

from sqlalchemy import func, select, update

from app.dossiers.models import DossierEvent
from app.extensions import db
from app.procedures.models import Procedure, ProcedureVersion
from tests.factories import SIMPLE_SCHEMA, UnitFactory, create_dossier, create_user

DEFINITION = {
    "code": "9.999001", "name": "Thủ tục kiểm thử", "field": "Hộ tịch", "tier": "commune",
    "level": 4, "processing_days": 3, "fee": 0,
    "required_documents": [{"key": "don", "title": "Đơn đề nghị", "required": True}],
    "schema": SIMPLE_SCHEMA, "ui_schema": {},
}


def write(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_then_versions_and_export_round_trips(app, tmp_path):
    with app.app_context():
        UnitFactory(code="25279")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["procedures", "import", write(tmp_path, "a.json", DEFINITION),
                                 "--unit", "25279"])
    assert result.exit_code == 0, result.output
    assert "9.999001 v1" in result.output
    again = runner.invoke(args=["procedures", "import", write(tmp_path, "a.json", DEFINITION)])
    assert "9.999001 v1 (unchanged)" in again.output
    changed = dict(DEFINITION, schema={**SIMPLE_SCHEMA, "title": "Tờ khai"})
    result = runner.invoke(args=["procedures", "import", write(tmp_path, "b.json", changed)])
    assert "9.999001 v2 (new version)" in result.output
    exported = runner.invoke(args=["procedures", "export", "9.999001"])
    assert exported.exit_code == 0
    data = json.loads(exported.output)
    assert data["schema"]["title"] == "Tờ khai"
    assert data["required_documents"] == DEFINITION["required_documents"]
    assert data["name"] == "Thủ tục kiểm thử"


def test_bad_files_change_nothing_and_list_every_problem(app, tmp_path):
    good = write(tmp_path, "good.json", DEFINITION)
    broken_json = write(tmp_path, "broken.json", '{"code": "x",\n  "name": }')
    bad = write(tmp_path, "bad.json", dict(DEFINITION, code="9.999002", level=7, fee=-1,
                                           schema={"type": "objekt"}))
    result = app.test_cli_runner().invoke(args=["procedures", "import", good, broken_json, bad])
    assert result.exit_code != 0
    output = result.output
    assert "broken.json: invalid JSON at line 2, column" in output
    assert "/level" in output and "/fee" in output and "/schema" in output
    assert "nothing imported" in output
    assert count(app, Procedure) == 0 and count(app, ProcedureVersion) == 0


def test_import_with_unknown_unit_is_refused(app, tmp_path):
    result = app.test_cli_runner().invoke(args=[
        "procedures", "import", write(tmp_path, "a.json", DEFINITION), "--unit", "00000"])
    assert result.exit_code != 0
    assert "--unit 00000: no such administrative unit" in result.output
    assert count(app, Procedure) == 0


def test_export_of_unknown_code_fails(app):
    result = app.test_cli_runner().invoke(args=["procedures", "export", "nope"])
    assert result.exit_code != 0


def test_units_import_loads_one_province(app):
    result = app.test_cli_runner().invoke(args=["units", "import", "--province", "75"])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    from app.units.models import AdministrativeUnit
    with app.app_context():
        loc_tan = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == "25279"))
        assert loc_tan.name == "Xã Lộc Tấn" and loc_tan.parent.code == "75"
    again = app.test_cli_runner().invoke(args=["units", "import", "--province", "75"])
    assert "0 created, 0 updated" in again.output


def test_audit_verify_detects_a_tampered_event(app):
    with app.app_context():
        unit = UnitFactory()
        citizen = create_user("c1", "Citizen")
        officer = create_user("o1", "Officer", [unit])
        dossier = create_dossier(citizen, unit)
        from app.dossiers.operations import perform_action
        perform_action(officer, dossier, "receive")
        db.session.commit()
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "intact: 2 events" in ok.output
    with app.app_context():
        first_id = db.session.scalar(select(func.min(DossierEvent.id)))
        db.session.execute(update(DossierEvent).where(DossierEvent.id == first_id)
                           .values(note="rewritten history"))
        db.session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"broken at event {first_id}" in broken.output
