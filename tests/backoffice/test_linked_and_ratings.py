"""Linked procedures (parent + children) and satisfaction ratings."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.dossiers.errors import DossierError
from app.dossiers.models import Dossier, DossierEvent
from app.dossiers.papers import PAPERS, available_papers
from app.dossiers.ratings import average_ratings, rate_dossier
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, new_dossier, user
from tests.factories import ProcedureFactory
from tests.helpers import logout


def _linked_parent(world):
    birth = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", processing_days=0)
    residence = ProcedureFactory(code="1.004222", name="Đăng ký thường trú", processing_days=7)
    ProcedureFactory(code="LOCAL.BHYT.TE6", name="Cấp thẻ BHYT cho trẻ em dưới 6 tuổi",
                     processing_days=5)
    dossier = new_dossier(world)
    dossier.procedure.linked_procedures = [birth.code, residence.code, "LOCAL.BHYT.TE6"]
    dossier.procedure.processing_days = 3
    db.session.commit()
    return dossier


def test_linked_dossier_opens_children_and_completes_when_all_are_returned(app, world, clock):
    with app.app_context():
        parent = _linked_parent(world)
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), parent, "receive")
        parent = get(parent.code)
        children = sorted(parent.children, key=lambda c: c.procedure.code)
        assert [c.procedure.code for c in children] == ["1.001193", "1.004222", "LOCAL.BHYT.TE6"]
        assert parent.due_date == dt.date(2026, 3, 5)
        # Own deadlines, never later than the linked procedure's combined deadline.
        assert [c.due_date for c in children] == [dt.date(2026, 3, 2), dt.date(2026, 3, 5),
                                                  dt.date(2026, 3, 5)]
        assert all(c.status == "received" and c.applicant_id == parent.applicant_id for c in children)
        with pytest.raises(DossierError) as info:
            act(user("officer"), parent, "process")
        assert info.value.status == 409
        codes = [c.code for c in children]
        for i, code in enumerate(codes):
            for action, params in (("process", {}), ("approve", {}), ("return", {"method": "online"})):
                act(user("officer"), get(code), action, **params)
            assert get(parent.code).status == ("returned" if i == 2 else "received")
        parent = get(parent.code)
        assert parent.on_time is True and parent.completed_at is not None
        returned = db.session.query(OutboxMessage).filter_by(dossier_id=parent.id, event="returned")
        assert returned.count() >= 1


def test_linked_parts_are_opened_and_completed_through_the_table(app, world, clock):
    """Children go draft → received by the system; the system returns the parent: no shortcut."""
    with app.app_context():
        parent = _linked_parent(world)
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), parent, "receive")
        children = list(get(parent.code).children)
        officer_id = user("officer").id
        for child in children:
            events = db.session.scalars(select(DossierEvent).where(
                DossierEvent.dossier_id == child.id).order_by(DossierEvent.id)).all()
            assert [(e.action, e.status_before, e.status_after, e.actor_id) for e in events] == [
                ("create", None, "draft", officer_id), ("receive", "draft", "received", None)]
        assert db.session.query(OutboxMessage).filter(
            OutboxMessage.dossier_id.in_([c.id for c in children])).count() == 0
        for child in children:
            for action, params in (("process", {}), ("approve", {}), ("return", {"method": "online"})):
                act(user("officer"), get(child.code), action, **params)
        last = db.session.scalars(select(DossierEvent).where(
            DossierEvent.dossier_id == parent.id).order_by(DossierEvent.id.desc())).first()
        assert (last.action, last.status_before, last.status_after, last.actor_id) == \
            ("return", "received", "returned", None)


def test_rating_once_after_return_and_averages(app, world):
    with app.app_context():
        first = new_dossier(world, status="returned")
        second = new_dossier(world, status="returned")
        open_one = new_dossier(world, status="processing")
        with pytest.raises(DossierError) as info:
            rate_dossier(user("citizen"), open_one, 5)
        assert info.value.status == 409
        with pytest.raises(DossierError) as info:
            rate_dossier(user("citizen"), first, 7)
        assert info.value.errors[0]["path"] == "/score"
        with pytest.raises(DossierError):
            rate_dossier(user("citizen2"), first, 5)
        rate_dossier(user("citizen"), first, 5, "Nhanh chóng")
        rate_dossier(user("citizen"), second, 2)
        with pytest.raises(DossierError):
            rate_dossier(user("citizen"), first, 1)
        [row] = average_ratings(unit_code=world.unit_code)
        assert (row["count"], row["average"], row["procedure"]) == (2, 3.5, world.procedure_code)


def test_citizen_rates_through_the_page(app, client, world):
    from tests.helpers import web_login

    with app.app_context():
        code = new_dossier(world, status="returned").code
    web_login(client, "citizen")
    bad = client.post(f"/dossiers/{code}/rating", data={"score": "", "comment": "Tốt"})
    assert bad.status_code == 422 and "Tốt" in bad.get_data(as_text=True)
    assert client.post(f"/dossiers/{code}/rating", data={"score": "4"}).status_code == 302
    page = client.get(f"/dossiers/{code}/rating").get_data(as_text=True)
    assert "đã được đánh giá" in page and 'name="score"' not in page  # rated once, no new form
    with app.app_context():
        from app.dossiers.models import SatisfactionRating
        assert [r.score for r in db.session.query(SatisfactionRating)] == [4]
    logout(client)
    web_login(client, "citizen2")
    assert client.get(f"/dossiers/{code}/rating").status_code == 404


EXPECTED = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "apology": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "stop": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "control": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_every_official_paper_names_the_unit_the_dossier_and_the_reason(app, world, clock):
    with app.app_context():
        clock.set(at(2026, 3, 2, 9))
        refused = new_dossier(world)
        act(user("officer"), refused, "reject", note="Hồ sơ không thuộc thẩm quyền")
        dossier = new_dossier(world)
        for action, kwargs in (("request_supplement", {"note": "Ảnh mờ", "items": ["Giấy chứng sinh"]}),):
            act(user("officer"), dossier, action, **kwargs)
        act(user("citizen"), get(dossier.code), "submit")
        act(user("officer"), get(dossier.code), "receive")
        act(user("officer"), get(dossier.code), "apologize", note="Chờ xác minh",
                       new_due_date="2026-03-12")
        act(user("officer"), get(dossier.code), "stop", note="Công dân đề nghị dừng")
        dossier, refused = get(dossier.code), get(refused.code)
        assert set(available_papers(dossier, citizen=True)) == {"receipt", "supplement", "apology", "stop"}
        assert available_papers(refused, citizen=True) == ["refusal"]
        for kind, title in EXPECTED.items():
            target = refused if kind == "refusal" else dossier
            text = _text(PAPERS[kind][0](target))
            assert title in text and target.code in text, kind
            assert "ỦY BAN NHÂN DÂN XÃ LỘC TẤN" in text and "Độc lập - Tự do - Hạnh phúc" in text
        assert "Hồ sơ không thuộc thẩm quyền" in _text(PAPERS["refusal"][0](refused))
        assert "ngày 12 tháng 3 năm 2026" in _text(PAPERS["apology"][0](dossier))
        assert "Công dân đề nghị dừng" in _text(PAPERS["stop"][0](dossier))
        assert "Giấy chứng sinh" in _text(PAPERS["supplement"][0](dossier))
        assert isinstance(dossier, Dossier)


def test_a_linked_parent_refuses_processing_through_every_door(app, client, world, clock):
    """The guard lives in the table: the API, the back-office form and the page agree."""
    from tests.helpers import auth, web_login

    with app.app_context():
        parent = _linked_parent(world)
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), parent, "receive")
        code, version = parent.code, get(parent.code).version
    response = client.post(f"/api/v1/dossiers/{code}/actions", headers=auth(client, "officer"),
                           json={"action": "process"})
    assert response.status_code == 409
    web_login(client, "officer")
    assert client.post(f"/backoffice/dossiers/{code}/actions",
                       data={"action": "process", "version": str(version)}).status_code == 409
    page = client.get(f"/backoffice/dossiers/{code}").get_data(as_text=True)
    assert 'value="process"' not in page and 'value="note"' in page
    with app.app_context():
        assert get(code).status == "received"


def test_a_part_takes_the_parents_way_of_return_only_when_its_procedure_offers_it(app, world, clock):
    """Post chosen for the bundle: the part that offers post is posted to the same address, the
    part handed over only at the office is not (found by the first-hour walk, issue 10)."""
    with app.app_context():
        parent = _linked_parent(world)
        parent.procedure.delivery_methods = ["office", "post"]
        parent.delivery_method = "post"
        parent.delivery_address = {"recipient": "Nguyễn Văn An", "line": "12 Lê Lợi"}
        by_code = {p.code: p for p in db.session.scalars(select(ProcedureFactory._meta.model))}
        by_code["1.001193"].delivery_methods = ["office", "post"]
        by_code["1.004222"].delivery_methods = ["office", "online"]
        by_code["LOCAL.BHYT.TE6"].delivery_methods = ["office"]
        db.session.commit()
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), parent, "receive")
        parts = {c.procedure.code: (c.delivery_method, c.delivery_address)
                 for c in get(parent.code).children}
        assert parts == {"1.001193": ("post", {"recipient": "Nguyễn Văn An", "line": "12 Lê Lợi"}),
                         "1.004222": ("office", {}), "LOCAL.BHYT.TE6": ("office", {})}


def test_an_officer_stopping_a_linked_dossier_stops_its_running_parts(app, world, clock):
    """The parts in progress stop with it, by the system through the gate, each with the reason
    in its history; the citizen is told once (of the linked dossier), not once per part."""
    with app.app_context():
        parent = _linked_parent(world)
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), parent, "receive")
        first = sorted(get(parent.code).children, key=lambda c: c.procedure.code)[0]
        act(user("officer"), get(first.code), "process")
        before = db.session.query(OutboxMessage).count()
        act(user("officer"), get(parent.code), "stop", note="Người nộp yêu cầu dừng")
        parent = get(parent.code)
        assert parent.status == "stopped"
        assert sorted(c.status for c in parent.children) == ["stopped"] * 3
        for child in parent.children:
            last = db.session.scalars(select(DossierEvent).where(
                DossierEvent.dossier_id == child.id).order_by(DossierEvent.id.desc())).first()
            assert (last.action, last.actor_id) == ("stop", None)
            assert parent.code in last.note and "Người nộp yêu cầu dừng" in last.note
        told = db.session.query(OutboxMessage).filter(OutboxMessage.id > 0).count() - before
        stopped = db.session.query(OutboxMessage).filter_by(event="stopped")
        assert {m.dossier_id for m in stopped} == {parent.id} and told == stopped.count()
