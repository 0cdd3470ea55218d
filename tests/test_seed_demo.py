"""`flask seed-demo` loads the demo and is idempotent."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.procedures.models import Procedure, ProcedureVersion, UnitProcedure
from app.security.models import UserUnit
from app.units.models import AdministrativeUnit


def snapshot(app) -> dict:
    with app.app_context():
        sm = app.appbuilder.sm
        return {
            "units": sorted(db.session.execute(select(
                AdministrativeUnit.code, AdministrativeUnit.name, AdministrativeUnit.level,
                AdministrativeUnit.parent_id, AdministrativeUnit.active)).all()),
            "procedures": sorted(db.session.execute(select(Procedure.code, Procedure.name)).all()),
            "versions": sorted(db.session.execute(select(
                ProcedureVersion.procedure_id, ProcedureVersion.number)).all()),
            "offerings": sorted(db.session.execute(select(
                UnitProcedure.unit_id, UnitProcedure.procedure_id)).all()),
            "users": sorted((u.username, tuple(sorted(r.name for r in u.roles)))
                            for u in db.session.scalars(select(sm.user_model))),
            "officer_units": sorted(db.session.execute(select(UserUnit.user_id, UserUnit.unit_id)).all()),
        }


def test_seed_demo_twice_gives_the_same_data(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    before = snapshot(app)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "new procedure versions: 0" in second.output and "new users: 0" in second.output
    assert snapshot(app) == before


def test_seed_demo_contents_match_the_contract(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    data = snapshot(app)
    units = {code: (name, level) for code, name, level, _p, _a in data["units"]}
    assert units["25279"] == ("Xã Lộc Tấn", "commune")
    assert units["09208"] == ("Xã Tam Đa", "commune")
    assert units["75"][1] == units["24"][1] == "province"
    # Both provinces come with all their communes/wards.
    assert sum(1 for _c, (_n, level) in units.items() if level == "commune") > 150
    users = dict(data["users"])
    assert users == {"admin": ("Admin",), "officer": ("Officer",), "officer2": ("Officer",),
                     "citizen": ("Citizen",), "citizen2": ("Citizen",), "auditor": ("Auditor",)}
    # Every procedure file is offered by both communes.
    with app.app_context():
        codes = set(db.session.scalars(select(Procedure.code)))
        for unit_code in ("25279", "09208"):
            offered = set(db.session.scalars(
                select(Procedure.code).join(UnitProcedure).join(AdministrativeUnit)
                .where(AdministrativeUnit.code == unit_code)))
            assert offered == codes
    assert "1.001193" in codes and len(codes) >= 9


def test_demo_users_log_in_with_the_demo_password(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    response = client.post("/api/v1/security/login", json={
        "username": "officer", "password": app.config["DEMO_PASSWORD"], "provider": "db"})
    assert response.status_code == 200
    assert response.get_json()["access_token"]
