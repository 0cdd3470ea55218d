"""Due dates set by `receive` on real dates: Tết, a day off in lieu, a worked Saturday, 15:00."""
from __future__ import annotations

import datetime as dt

import pytest

from app.calendar.operations import set_province_calendar
from app.dossiers.errors import DossierError
from app.extensions import db
from app.units.models import AdministrativeUnit
from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, new_dossier, user

D = dt.date


def _receive(world, clock, moment, days=3, cutoff=True, **params):
    dossier = new_dossier(world)
    dossier.procedure.processing_days = days
    dossier.procedure.extra = {"afternoon_cutoff": True} if cutoff else {}
    db.session.commit()
    clock.set(moment)
    act(user("officer"), dossier, "receive", **params)
    return get(dossier.code)


@pytest.mark.parametrize("moment, days, due", [
    (at(2026, 2, 12, 10), 3, D(2026, 2, 24)),   # Thu before Tết: Fri 13, then Mon 23, Tue 24
    (at(2026, 2, 13, 16), 0, D(2026, 2, 23)),   # Fri after 15:00 before Tết: the next working day
    (at(2026, 8, 28, 9), 2, D(2026, 9, 4)),     # Mon 31/8 is the day off in lieu, 1-2/9 National Day
    (at(2026, 8, 21, 10), 1, D(2026, 8, 22)),   # Sat 22/8/2026 is worked in lieu
    (at(2026, 3, 3, 14, 59), 0, D(2026, 3, 3)),  # before the cut-off: same working day
    (at(2026, 3, 3, 15, 0), 0, D(2026, 3, 3)),   # 15:00 sharp is still in time
    (at(2026, 3, 3, 15, 1), 0, D(2026, 3, 4)),   # after 15:00: counts from the next working day
    (at(2026, 3, 3, 15, 30), 1, D(2026, 3, 5)),
    (at(2026, 3, 7, 10), 1, D(2026, 3, 10)),    # received on a Saturday: counts from Monday
])
def test_receive_sets_due_date_on_the_vietnamese_calendar(app, world, clock, moment, days, due):
    with app.app_context():
        dossier = _receive(world, clock, moment, days)
        assert dossier.due_date == due
        assert dossier.received_at is not None


def test_province_extra_day_off_and_cutoff(app, world, clock):
    with app.app_context():
        province = db.session.get(AdministrativeUnit, world.province_id)
        set_province_calendar(province, cutoff=dt.time(16, 0), days_off=[D(2026, 3, 4)])
        db.session.commit()
        # 15:30 is before this province's 16:00 cut-off; Wed 4/3 is a provincial day off.
        assert _receive(world, clock, at(2026, 3, 3, 15, 30), 1).due_date == D(2026, 3, 5)
        assert _receive(world, clock, at(2026, 3, 3, 16, 30), 0).due_date == D(2026, 3, 5)


def test_province_extra_working_day(app, world, clock):
    with app.app_context():
        province = db.session.get(AdministrativeUnit, world.province_id)
        set_province_calendar(province, working_days=[D(2026, 3, 7)])
        db.session.commit()
        assert _receive(world, clock, at(2026, 3, 6, 10), 1).due_date == D(2026, 3, 7)


def test_verification_uses_the_longer_time(app, world, clock):
    with app.app_context():
        dossier = new_dossier(world)
        dossier.procedure.verification_days = 5
        db.session.commit()
        clock.set(at(2026, 3, 2, 9))
        act(user("officer"), dossier, "receive", verification=True)
        assert get(dossier.code).due_date == D(2026, 3, 9)


def _supplement_round(world, clock, policy):
    province = db.session.get(AdministrativeUnit, world.province_id)
    set_province_calendar(province, policy=policy)
    db.session.commit()
    dossier = _receive(world, clock, at(2026, 3, 2, 9), 5)
    assert dossier.due_date == D(2026, 3, 9)
    clock.set(at(2026, 3, 4, 10))  # Wed: Thu 5, Fri 6 and Mon 9 are left
    act(user("officer"), dossier, "request_supplement", note="Thiếu giấy tờ",
                   items=["Bản sao Giấy chứng sinh"])
    dossier = get(dossier.code)
    assert dossier.clock_stopped_at is not None and dossier.remaining_days == 3
    assert dossier.supplement_items == ["Bản sao Giấy chứng sinh"]
    clock.set(at(2026, 3, 9, 8))
    act(user("citizen"), dossier, "submit")
    clock.set(at(2026, 3, 10, 9))
    act(user("officer"), get(dossier.code), "receive")
    return get(dossier.code)


def test_supplement_restarts_the_clock_by_default(app, world, clock):
    with app.app_context():
        dossier = _supplement_round(world, clock, "restart")
        assert dossier.due_date == D(2026, 3, 17)
        assert dossier.clock_stopped_at is None and dossier.remaining_days is None
        assert dossier.received_at.day == 2  # the first receipt is kept


def test_supplement_resumes_the_clock_when_the_province_says_so(app, world, clock):
    with app.app_context():
        assert _supplement_round(world, clock, "resume").due_date == D(2026, 3, 13)


def test_return_records_on_time_and_late(app, world, clock):
    with app.app_context():
        on_time = _receive(world, clock, at(2026, 3, 2, 9), 1)
        late = _receive(world, clock, at(2026, 3, 2, 9), 1)
        for dossier, day in ((on_time, 3), (late, 4)):
            for action in ("process", "approve"):
                act(user("officer"), get(dossier.code), action)
            clock.set(at(2026, 3, day, 11))
            act(user("officer"), get(dossier.code), "return", method="office")
        assert get(on_time.code).on_time is True
        assert get(late.code).on_time is False
        assert get(late.code).completed_at is not None


def test_apology_moves_the_date_but_the_dossier_stays_late(app, world, clock):
    with app.app_context():
        dossier = _receive(world, clock, at(2026, 3, 2, 9), 1)
        act(user("officer"), dossier, "process")
        clock.set(at(2026, 3, 3, 10))
        with pytest.raises(DossierError) as info:  # a Saturday is not a working day
            act(user("officer"), get(dossier.code), "apologize", note="Cần xác minh",
                           new_due_date="2026-03-07")
        assert info.value.errors[0]["path"] == "/new_due_date"
        act(user("officer"), get(dossier.code), "apologize", note="Cần xác minh",
                       new_due_date="2026-03-10")
        dossier = get(dossier.code)
        assert (dossier.due_date, dossier.original_due_date) == (D(2026, 3, 10), D(2026, 3, 3))
        act(user("officer"), dossier, "approve")
        clock.set(at(2026, 3, 9, 10))
        act(user("officer"), get(dossier.code), "return", method="post",
                       tracking_number="EB123456789VN")
        dossier = get(dossier.code)
        assert dossier.on_time is False and dossier.is_late
        assert dossier.tracking_number == "EB123456789VN"


def test_post_return_needs_a_tracking_number(app, world, clock):
    with app.app_context():
        dossier = new_dossier(world, status="result_ready")
        with pytest.raises(DossierError) as info:
            act(user("officer"), dossier, "return", method="post")
        assert info.value.errors[0]["path"] == "/tracking_number"
        assert get(dossier.code).status == "result_ready"


def _days_left(client, code: str) -> str:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/backoffice/").get_data(as_text=True), "html.parser")
    row = next(tr for tr in page.select("tbody tr") if code in tr.get_text())
    return row.select("td")[5].get_text(strip=True)


def test_the_queue_counts_days_left_on_the_calendar_as_it_is_now(app, client, world, clock):
    """The queue keeps each unit's calendar per process: a day off the administrator adds
    counts at once, in the same worker (the settings revision drops the kept calendar)."""
    from tests.helpers import web_login

    with app.app_context():
        dossier = _receive(world, clock, at(2026, 3, 2, 9), 5)  # due Mon 9/3
        code = dossier.code
    clock.set(at(2026, 3, 3, 9))  # Tue 3/3: Wed, Thu, Fri and Mon are left
    web_login(client, "officer")
    assert _days_left(client, code) == "4"
    with app.app_context():
        province = db.session.get(AdministrativeUnit, world.province_id)
        set_province_calendar(province, days_off=[D(2026, 3, 5)])
        db.session.commit()
    assert _days_left(client, code) == "3"
