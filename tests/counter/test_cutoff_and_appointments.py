"""The 15:00 rule only where the definition sets it; appointments with their time of day."""
from __future__ import annotations

import datetime as dt

import pytest

from app.core.moments import clock_text, day_text
from app.extensions import db
from tests.backoffice.conftest import ICT, at
from tests.backoffice.util import act, get, new_dossier, user


def _receive(world, clock, moment, days, cutoff):
    dossier = new_dossier(world)
    dossier.procedure.processing_days = days
    dossier.procedure.extra = {"afternoon_cutoff": True} if cutoff else {}
    db.session.commit()
    clock.set(moment)
    act(user("officer"), dossier, "receive")
    return get(dossier.code)


@pytest.mark.parametrize("cutoff, due", [(True, dt.date(2026, 3, 4)), (False, dt.date(2026, 3, 3))])
def test_the_afternoon_cutoff_applies_only_where_the_procedure_says(app, world, clock, cutoff, due):
    with app.app_context():
        dossier = _receive(world, clock, at(2026, 3, 3, 16, 10), 0, cutoff)
        assert dossier.due_date == due


def test_a_three_day_procedure_received_late_counts_from_that_day_without_the_rule(app, world, clock):
    with app.app_context():
        assert _receive(world, clock, at(2026, 3, 3, 16), 3, False).due_date == dt.date(2026, 3, 6)
        assert _receive(world, clock, at(2026, 3, 3, 16), 3, True).due_date == dt.date(2026, 3, 9)


def test_appointments_carry_a_time(app, world, clock):
    with app.app_context():
        morning = _receive(world, clock, at(2026, 3, 3, 9), 3, True)
        assert morning.due_at.astimezone(ICT) == dt.datetime(2026, 3, 6, 16, 0, tzinfo=ICT)
        assert clock_text(morning.due_at) == "16 giờ 00 phút, ngày 06 tháng 3 năm 2026"
        # A same-day result asked for after the appointment hour: half an hour after receipt.
        late = _receive(world, clock, at(2026, 3, 3, 16, 20), 0, False)
        assert late.due_at.astimezone(ICT) == dt.datetime(2026, 3, 3, 16, 50, tzinfo=ICT)


def test_an_apology_moves_the_appointment_with_its_time(app, world, clock):
    with app.app_context():
        dossier = _receive(world, clock, at(2026, 3, 3, 9), 3, True)
        act(user("officer"), dossier, "apologize", note="Cần xác minh thêm", new_due_date="2026-03-12")
        moved = get(dossier.code)
        assert moved.due_at.astimezone(ICT) == dt.datetime(2026, 3, 12, 16, 0, tzinfo=ICT)


def test_dates_are_written_as_decree_30_says():
    assert day_text(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert day_text(dt.date(2026, 11, 24)) == "ngày 24 tháng 11 năm 2026"
    assert clock_text(None) == ""


def test_the_api_shows_the_appointment_time(client, app, world, clock):
    from tests.helpers import auth

    with app.app_context():
        code = _receive(world, clock, at(2026, 3, 3, 9), 3, True).code
    detail = client.get(f"/api/v1/dossiers/{code}", headers=auth(client, "officer")).get_json()
    assert detail["due_date"] == "2026-03-06"
    assert detail["due_at"].startswith("2026-03-06T09:00:00")  # 16:00 in Vietnam, in UTC


def test_the_receipt_notification_gives_the_appointment_time(app, world, clock):
    from app.notifications.models import OutboxMessage

    with app.app_context():
        dossier = _receive(world, clock, at(2026, 3, 3, 9), 3, True)
        sent = db.session.query(OutboxMessage).filter_by(dossier_id=dossier.id, channel="email",
                                                         event="received").one()
        assert "16 giờ 00 phút, ngày 06 tháng 3 năm 2026" in sent.body
