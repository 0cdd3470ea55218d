"""Register numbers: gap-free per unit and year, taken at receipt, kept on a second receipt."""
from __future__ import annotations

import threading

import pytest

from app.dossiers.errors import DossierError
from app.dossiers.operations import perform_action
from app.extensions import db
from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, new_dossier, user


def test_numbers_follow_receipts_not_codes_and_restart_each_year(app, world, clock):
    with app.app_context():
        first, abandoned, second = (new_dossier(world) for _ in range(3))
        clock.set(at(2026, 12, 30, 9))
        act(user("officer"), first, "receive")
        act(user("officer"), abandoned, "reject", note="Sai thủ tục")  # never in the register
        act(user("officer"), second, "receive")
        assert (get(first.code).register_number, get(second.code).register_number) == (1, 2)
        clock.set(at(2027, 1, 4, 9))
        third = new_dossier(world)
        act(user("officer"), third, "receive")
        assert (get(third.code).register_number, get(third.code).register_year) == (1, 2027)


def test_a_failed_receipt_gives_its_number_back(app, world, clock):
    with app.app_context():
        clock.set(at(2026, 3, 3, 9))
        failing = new_dossier(world)
        with pytest.raises(DossierError):  # the effect after the numbering refuses: all undone
            perform_action(user("officer"), failing, "apologize", note="x", new_due_date="2020-01-01")
        db.session.rollback()
        dossier = new_dossier(world)
        act(user("officer"), dossier, "receive")
        assert get(dossier.code).register_number == 1


def test_a_second_receipt_after_a_supplement_keeps_the_number(app, world, clock):
    with app.app_context():
        clock.set(at(2026, 3, 3, 9))
        dossier = new_dossier(world)
        act(user("officer"), dossier, "receive")
        act(user("officer"), get(dossier.code), "request_supplement", note="Thiếu bản sao")
        resubmitted = get(dossier.code)
        resubmitted.status = "submitted"  # the citizen's resubmission (tests/portal cover it)
        db.session.commit()
        act(user("officer"), get(dossier.code), "receive")
        assert get(dossier.code).register_number == 1


@pytest.mark.postgres
def test_concurrent_receipts_get_distinct_consecutive_numbers(app, world, is_postgres):
    if not is_postgres:
        pytest.skip("row locks and concurrent sessions need PostgreSQL (TEST_DATABASE_URL)")
    with app.app_context():
        codes = [new_dossier(world).code for _ in range(6)]
        db.session.remove()
    start = threading.Barrier(len(codes))
    errors: list[Exception] = []

    def receive(code: str, name: str) -> None:
        with app.app_context():
            try:
                dossier = get(code)
                start.wait(timeout=10)
                perform_action(user(name), dossier, "receive")
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=receive, args=(c, "officer" if i % 2 else "colleague"))
               for i, c in enumerate(codes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        numbers = sorted(get(c).register_number for c in codes)
    assert numbers == [1, 2, 3, 4, 5, 6]
