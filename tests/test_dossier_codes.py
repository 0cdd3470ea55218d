"""Dossier codes: <unit code>-YYMMDD-NNNN, unique even under concurrent creation."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from app.dossiers import operations as ops
from app.dossiers.codes import next_dossier_code
from app.extensions import db
from tests.factories import OfferingFactory, UnitFactory, create_user


def test_codes_count_per_unit_and_local_day(app):
    with app.app_context():
        # 20:00 UTC on 1 March is already 2 March in Vietnam (UTC+7).
        late = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.timezone.utc)
        assert next_dossier_code("25279", late) == "25279-260302-0001"
        assert next_dossier_code("25279", late) == "25279-260302-0002"
        assert next_dossier_code("09208", late) == "09208-260302-0001"
        next_day = late + dt.timedelta(days=1)
        assert next_dossier_code("25279", next_day) == "25279-260303-0001"
        db.session.commit()


def test_created_dossier_gets_a_code_and_a_creation_event(app):
    with app.app_context():
        offering = OfferingFactory()
        citizen = create_user("c1", "Citizen")
        dossier, created = ops.create_dossier(citizen, ops.NewDossier(
            offering.procedure.code, offering.unit.code, phone="0912345678"))
        assert created
        assert dossier.code.startswith(offering.unit.code + "-")
        assert dossier.code.endswith("-0001")
        assert [e.action for e in dossier.events] == ["create"]


@pytest.mark.postgres
def test_codes_stay_unique_under_concurrent_creation(app, is_postgres):
    if not is_postgres:
        pytest.skip("concurrency is proven on PostgreSQL (set TEST_DATABASE_URL)")
    with app.app_context():
        offering = OfferingFactory(unit=UnitFactory(code="77777"))
        citizens = [create_user(f"c{i}", "Citizen").id for i in range(8)]
        procedure_code = offering.procedure.code
    codes: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(citizens))

    def file_three(user_id: int) -> None:
        try:
            with app.app_context():
                user = db.session.get(app.appbuilder.sm.user_model, user_id)
                barrier.wait()
                for _ in range(3):
                    dossier, _created = ops.create_dossier(
                        user, ops.NewDossier(procedure_code, "77777"))
                    db.session.commit()  # each filing is its own request
                    codes.append(dossier.code)
                db.session.remove()
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=file_three, args=(uid,)) for uid in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(codes) == 24 and len(set(codes)) == 24
    assert sorted(int(c.rsplit("-", 1)[1]) for c in codes) == list(range(1, 25))
