"""Forwarding within the province: reason required, same province only, access moves, both
registers keep their line, the due date stays."""
from __future__ import annotations

import pytest

from app.dossiers.errors import DossierError
from app.dossiers.models import RegisterEntry
from app.extensions import db
from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, new_dossier, user
from tests.factories import OfferingFactory, ProvinceFactory, UnitFactory
from tests.helpers import auth


def received(world, clock):
    clock.set(at(2026, 3, 3, 9))
    dossier = new_dossier(world)
    act(user("officer"), dossier, "receive")
    return get(dossier.code)


def test_officer_forwards_to_another_unit_of_the_province(client, app, world, clock):
    with app.app_context():
        dossier = received(world, clock)
        due, code = dossier.due_date, dossier.code
    officer = auth(client, "officer")
    response = client.post(f"/api/v1/dossiers/{code}/actions", headers=officer, json={
        "action": "forward", "unit": world.other_unit_code,
        "note": "Thủ tục không phụ thuộc địa giới hành chính; chuyển về nơi có thẩm quyền"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["due_date"] == due.isoformat()  # the clock goes on
    assert client.get(f"/api/v1/dossiers/{code}", headers=officer).status_code == 404
    other = auth(client, "officer2")
    detail = client.get(f"/api/v1/dossiers/{code}", headers=other).get_json()
    assert detail["unit"] == world.other_unit_code and detail["status"] == "received"
    forward = [e for e in detail["events"] if e["action"] == "forward"]
    assert forward and "thẩm quyền" in forward[0]["note"]
    assert detail["register_number"] == 1  # the first line of the new unit's register
    with app.app_context():
        lines = db.session.query(RegisterEntry).filter_by(dossier_id=get(code).id).all()
        assert len(lines) == 2
        old = next(e for e in lines if e.forwarded_to_id is not None)
        assert old.forwarded_to.code == world.other_unit_code


def test_a_reason_is_required_and_the_unit_must_be_in_the_province(app, world, clock):
    with app.app_context():
        dossier = received(world, clock)
        with pytest.raises(DossierError) as no_reason:
            act(user("officer"), dossier, "forward", unit=world.other_unit_code)
        assert no_reason.value.status == 422
        elsewhere = UnitFactory(name="Xã Khác", parent=ProvinceFactory(name="Tỉnh Khác"))
        OfferingFactory(unit=elsewhere, procedure=dossier.procedure)
        db.session.commit()
        with pytest.raises(DossierError) as foreign:
            act(user("officer"), get(dossier.code), "forward", unit=elsewhere.code, note="Chuyển")
        assert foreign.value.status == 422 and foreign.value.errors[0]["path"] == "/unit"
        assert get(dossier.code).unit.code == world.unit_code


def test_only_forwardable_procedures_are_forwarded(app, world, clock):
    with app.app_context():
        dossier = received(world, clock)
        dossier.procedure.extra = {}
        db.session.commit()
        with pytest.raises(DossierError) as refused:
            act(user("officer"), get(dossier.code), "forward", unit=world.other_unit_code,
                note="Chuyển")
        assert refused.value.status == 409


def test_the_back_office_forwards_and_sends_the_officer_back_to_the_queue(client, app, world, clock):
    from tests.helpers import officer_post, web_login

    with app.app_context():
        code = received(world, clock).code
    web_login(client, "officer")
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert "Chuyển đến cơ quan có thẩm quyền" in page and "Xã Tam Đa" in page
    response = officer_post(client, code, {"action": "forward", "unit": world.other_unit_code,
                                           "note": "Không phụ thuộc địa giới hành chính"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/backoffice/")
    assert client.get(f"/backoffice/dossiers/{code}").status_code == 404
    lookup = client.get(f"/api/v1/lookup?code={code}&phone4=5678").get_json()
    assert lookup["unit"]["code"] == world.other_unit_code and lookup["national_status"] == "received"
