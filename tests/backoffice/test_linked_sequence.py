"""Linked procedures with their parts sequenced (Decree 63/2024): a part starts when the parts it
needs are done, its clock with it; a part that fails stops its dependants and the parent; both
shipped bundles (birth 2.000986, death 1.006714) through the API and the back office."""
from __future__ import annotations

import datetime as dt
import io
import json

from pypdf import PdfReader
from sqlalchemy import select

from app.dossiers.models import DossierEvent
from app.dossiers.papers import PAPERS
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.procedures.definitions import load_file
from app.procedures.models import Procedure, UnitProcedure
from app.procedures.operations import import_definition
from app.units.models import AdministrativeUnit
from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, user
from tests.factories import ProcedureFactory, create_dossier
from tests.helpers import auth, officer_post, result_pdf, web_login
from tests.portal.data import ROOT

BIRTH, RESIDENCE, CARD = "1.001193", "1.004222", "LOCAL.BHYT.TE6"


def _unit(world) -> AdministrativeUnit:
    return db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == world.unit_code))


def _bundle(world, data: dict | None = None):
    """A received-able parent of a bundle whose two last parts wait for the first."""
    ProcedureFactory(code=BIRTH, name="Đăng ký khai sinh", processing_days=0)
    ProcedureFactory(code=RESIDENCE, name="Đăng ký thường trú", processing_days=7)
    ProcedureFactory(code=CARD, name="Cấp thẻ BHYT cho trẻ em dưới 6 tuổi", processing_days=5)
    parent_procedure = ProcedureFactory(
        code="2.000986", name="Liên thông khai sinh, thường trú, BHYT", processing_days=3,
        linked_procedures=[BIRTH, RESIDENCE, CARD],
        extra={"linked_after": {RESIDENCE: [BIRTH], CARD: [BIRTH]},
               "linked_data": {RESIDENCE: {"registrant": "child"}}})
    dossier = create_dossier(user("citizen"), _unit(world), procedure=parent_procedure,
                             data=data or {"child": {"full_name": "Nguyễn Thị Bé"}, "copies": 1})
    db.session.commit()
    return dossier


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _children(code: str) -> dict:
    return {c.procedure.code: c for c in get(code).children}


def _through(officer, code: str, *, until: str = "return") -> None:
    for action, params in (("process", {}), ("approve", {}), ("return", {"method": "office"})):
        act(officer, get(code), action, **params)
        if action == until:
            return


def test_a_part_starts_when_the_part_it_needs_is_done_with_its_own_clock(app, world, clock):
    with app.app_context():
        parent = _bundle(world)
        code = parent.code
        clock.set(at(2026, 3, 2, 9))  # Monday
        act(user("officer"), parent, "receive")
        parent = get(code)
        assert parent.due_date == dt.date(2026, 3, 5)
        children = _children(code)
        assert list(children) == [BIRTH]  # the others wait for the birth registration
        first = children[BIRTH]
        assert first.status == "received" and first.due_date == dt.date(2026, 3, 2)
        assert first.data == {"child": {"full_name": "Nguyễn Thị Bé"}, "copies": 1}
        # The birth registration is settled the next day: the parts waiting for it start then.
        clock.set(at(2026, 3, 3, 10))
        _through(user("officer"), first.code, until="process")
        assert list(_children(code)) == [BIRTH]  # processing is not done
        act(user("officer"), get(first.code), "approve")
        children = _children(code)
        assert set(children) == {BIRTH, RESIDENCE, CARD}
        residence, card = children[RESIDENCE], children[CARD]
        for child in (residence, card):
            assert child.status == "received"
            assert child.received_at.replace(tzinfo=dt.timezone.utc) == at(2026, 3, 3, 10)
            # Own time from its start (7 and 5 days), never after the bundle's appointment.
            assert child.due_date == dt.date(2026, 3, 5)
        # The part receives the parent's data, renamed where linked_data says so.
        assert residence.data["registrant"] == {"full_name": "Nguyễn Thị Bé"}
        assert "child" in card.data
        # Started by the system through the gate: draft → received, no actor, no message.
        events = db.session.scalars(select(DossierEvent).where(
            DossierEvent.dossier_id == residence.id).order_by(DossierEvent.id)).all()
        assert [(e.action, e.status_before, e.status_after, e.actor_id) for e in events] == [
            ("create", None, "draft", user("officer").id), ("receive", "draft", "received", None)]
        assert db.session.query(OutboxMessage).filter_by(dossier_id=residence.id).count() == 0
        act(user("officer"), get(first.code), "return", method="office")
        assert get(code).status == "received"
        for child in (residence, card):
            _through(user("officer"), child.code)
        parent = get(code)
        assert parent.status == "returned" and parent.on_time is True


def test_a_refused_prerequisite_stops_its_dependants_and_the_parent_with_the_reason(
        app, client, world, clock):
    with app.app_context():
        parent = _bundle(world)
        code = parent.code
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), parent, "receive")
        first = _children(code)[BIRTH]
        act(user("officer"), first, "process")
        act(user("officer"), get(first.code), "refuse", note="Người yêu cầu không có quyền")
        parent = get(code)
        assert parent.status == "stopped" and list(_children(code)) == [BIRTH]
        last = db.session.scalars(select(DossierEvent).where(
            DossierEvent.dossier_id == parent.id).order_by(DossierEvent.id.desc())).first()
        assert (last.action, last.status_before, last.status_after, last.actor_id) == \
            ("stop", "received", "stopped", None)
        assert "Đăng ký khai sinh" in last.note and "Người yêu cầu không có quyền" in last.note
        assert "Đăng ký thường trú" in last.note  # the parts that will not start are named
        stopped = db.session.query(OutboxMessage).filter_by(dossier_id=parent.id, event="stopped")
        assert stopped.count() >= 1
        # The stop notice (Mẫu 05) says why; the control slip (06) names every part's agency.
        stop_text = _pdf_text(PAPERS["stop"][0](parent))
        assert "Hồ sơ thành phần Đăng ký khai sinh không hoàn thành (từ chối giải quyết)" in stop_text
        control = _pdf_text(PAPERS["control"][0](parent, staff=True))
        assert "Ủy ban nhân dân xã Lộc Tấn (Đăng ký thường trú)" in control
    api = client.get(f"/api/v1/dossiers/{code}", headers=auth(client, "officer")).get_json()
    assert [(p["procedure"], p["state"]) for p in api["parts"]] == [
        (BIRTH, "started"), (RESIDENCE, "not_started"), (CARD, "not_started")]
    assert api["parts"][0]["status"] == "refused"
    web_login(client, "officer")
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert "không thực hiện: hồ sơ Đăng ký khai sinh không hoàn thành" in page


def test_the_pages_show_each_part_with_its_state(app, client, world, clock):
    with app.app_context():
        parent = _bundle(world)
        code = parent.code
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), parent, "receive")
        first = _children(code)[BIRTH].code
    waiting = "chờ hồ sơ Đăng ký khai sinh hoàn thành"
    web_login(client, "officer")
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert page.count(waiting) == 2 and first in page and "0 / 3" in page
    client.post("/account/logout")
    web_login(client, "citizen")
    page = client.get(f"/my/dossiers/{code}").get_data(as_text=True)
    assert page.count(waiting) == 2
    assert f"/my/dossiers/{first}" in page and "Đăng ký thường trú" in page
    api = client.get(f"/api/v1/dossiers/{code}", headers=auth(client, "citizen")).get_json()
    assert [(p["procedure"], p["state"], p["waiting_for"]) for p in api["parts"]] == [
        (BIRTH, "started", []), (RESIDENCE, "waiting", ["Đăng ký khai sinh"]),
        (CARD, "waiting", ["Đăng ký khai sinh"])]
    assert api["parts"][0]["dossier"] == first and api["parts"][1]["dossier"] is None


# --- The shipped bundles -----------------------------------------------------------------------

BUNDLES = {
    "2.000986": ("2.000986-lien-thong-khai-sinh-thuong-tru-bhyt.json",
                 ["1.001193-dang-ky-khai-sinh.json", "1.004222-dang-ky-thuong-tru.json",
                  "LOCAL.BHYT.TE6-cap-the-bhyt-tre-em-duoi-6-tuoi.json"]),
    "1.006714": ("1.006714-lien-thong-khai-tu-xoa-thuong-tru-mai-tang.json",
                 ["1.000656-dang-ky-khai-tu.json",
                  "LOCAL.CUTRU.XOATT-xoa-dang-ky-thuong-tru-nguoi-da-chet.json",
                  "LOCAL.MAITANG-giai-quyet-che-do-mai-tang-tu-tuat.json"]),
}


def _shipped(world, code: str) -> str:
    parent_file, part_files = BUNDLES[code]
    for name in [*part_files, parent_file]:
        import_definition(load_file(ROOT / "forms_schema" / name), [world.unit_code])
    db.session.commit()
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == code))
    assert db.session.scalar(select(UnitProcedure).where(UnitProcedure.procedure_id == procedure.id))
    data = {"requester": {"full_name": "Nguyễn Văn An"}, "child": {"full_name": "Nguyễn Thị Bé"},
            "deceased": {"full_name": "Nguyễn Văn Cụ"}, "residence": {"street": "Tổ 3, ấp 1"},
            "copies": 1}
    dossier = create_dossier(user("citizen"), _unit(world), procedure=procedure, data=data)
    return dossier.code


def _api_action(client, headers, code: str, action: str, **params):
    if action == "approve":
        body = {"action": "approve", "result_file": (io.BytesIO(result_pdf("KET QUA")), "kq.pdf")}
        return client.post(f"/api/v1/dossiers/{code}/actions", headers=headers, data=body,
                           content_type="multipart/form-data")
    return client.post(f"/api/v1/dossiers/{code}/actions", headers=headers,
                       json={"action": action, **params})


def _parts(client, headers, code: str) -> dict:
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    return {p["procedure"]: p for p in detail["parts"]}


def test_both_shipped_bundles_run_in_order_through_the_api_and_the_back_office(
        app, client, world, clock):
    clock.set(at(2026, 3, 2, 9))
    for bundle in BUNDLES:
        with app.app_context():
            code = _shipped(world, bundle)
            with open(ROOT / "forms_schema" / BUNDLES[bundle][0], encoding="utf-8") as handle:
                definition = json.load(handle)
        first = definition["linked_procedures"][0]
        later = definition["linked_procedures"][1:]
        officer = auth(client, "officer")
        assert _api_action(client, officer, code, "receive").status_code == 200
        parts = _parts(client, officer, code)
        assert parts[first]["state"] == "started" and parts[first]["status"] == "received"
        assert all(parts[c]["state"] == "waiting" and parts[c]["dossier"] is None for c in later)
        child = parts[first]["dossier"]
        for action in ("process", "approve"):
            response = _api_action(client, officer, child, action)
            assert response.status_code == 200, (bundle, action, response.get_json())
        parts = _parts(client, officer, code)
        assert all(parts[c]["state"] == "started" and parts[c]["status"] == "received"
                   for c in later), parts
        assert _api_action(client, officer, child, "return", method="office").status_code == 200
        # The rest in the back office, as an officer would.
        web_login(client, "officer")
        for part in later:
            part_code = parts[part]["dossier"]
            assert officer_post(client, part_code, {"action": "process"}).status_code == 302
            assert officer_post(client, part_code, {
                "action": "approve", "result_file": (io.BytesIO(result_pdf()), "kq.pdf")},
                content_type="multipart/form-data").status_code == 302
            assert officer_post(client, part_code, {"action": "return", "method": "office"}
                                ).status_code == 302
        client.post("/account/logout")  # ends the officer's tokens too
        detail = client.get(f"/api/v1/dossiers/{code}", headers=auth(client, "officer")).get_json()
        assert detail["status"] == "returned", (bundle, detail["status"])


def test_a_bundle_taken_at_the_counter_is_claimed_with_its_parts(app, world, clock):
    from app.dossiers.counter import claim_dossier

    with app.app_context():
        parent = _bundle(world)
        parent.applicant_id, parent.channel = None, "counter"
        parent.applicant_name, parent.contact_phone = "Trần Thị Bình", "0987654321"
        db.session.commit()
        code = parent.code
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), get(code), "receive")
        claim_dossier(user("citizen"), code, "0987654321")
        db.session.commit()
        first = _children(code)[BIRTH]
        assert first.applicant_id == user("citizen").id
        _through(user("officer"), first.code, until="approve")
        assert {c.applicant_id for c in get(code).children} == {user("citizen").id}
