"""Two officers act on one dossier at the same moment: one wins, the other gets a conflict."""
from __future__ import annotations

import threading

import pytest

from app.dossiers.models import DossierEvent
from app.dossiers.operations import ConflictError, DossierError, perform_action
from app.extensions import db
from tests.backoffice.util import act, get, new_dossier, user


@pytest.mark.postgres
def test_concurrent_actions_one_wins_one_conflicts(app, world, is_postgres):
    if not is_postgres:
        pytest.skip("row locks and concurrent sessions need PostgreSQL (TEST_DATABASE_URL)")
    with app.app_context():
        code = new_dossier(world).code
        db.session.remove()
    loaded = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def officer_acts(name: str, action: str, note: str | None) -> None:
        with app.app_context():  # its own session and database connection
            dossier = get(code)
            assert dossier.version == 1
            loaded.wait(timeout=10)  # both hold the same version before either writes
            try:
                perform_action(user(name), dossier, action, note=note)
                db.session.commit()  # as the request's unit of work does
                outcomes[name] = dossier.status
            except DossierError as exc:
                outcomes[name] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=officer_acts, args=("officer", "receive", None)),
               threading.Thread(target=officer_acts, args=("colleague", "reject", "Sai mẫu"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = {k: v for k, v in outcomes.items() if isinstance(v, str)}
    losers = {k: v for k, v in outcomes.items() if isinstance(v, ConflictError)}
    assert len(winners) == 1 and len(losers) == 1, outcomes
    loser = next(iter(losers.values()))
    assert loser.status == 409 and "người khác" in loser.message  # Vietnamese by default
    with app.app_context():
        dossier = get(code)
        assert dossier.status == next(iter(winners.values()))
        assert dossier.version > 1  # the winner wrote the row (maybe in several flushes)
        actions = [e.action for e in db.session.query(DossierEvent).filter_by(dossier_id=dossier.id)]
        assert actions == ["create", "receive" if "officer" in winners else "reject"]


def test_a_stale_version_is_refused_before_anything_changes(app, world):
    with app.app_context():
        dossier = new_dossier(world)
        stale = dossier.version
        act(user("colleague"), dossier, "note", note="Đã gọi điện cho công dân")
        with pytest.raises(ConflictError):
            perform_action(user("officer"), get(dossier.code), "receive", expected_version=stale)
        assert get(dossier.code).status == "submitted"


def _read_earlier(code: str):
    """The dossier as a request read it a moment ago: kept as read, its transaction ended
    (SQLite locks the whole file while a reading transaction is open)."""
    dossier = get(code)
    db.session.expunge(dossier)
    db.session.rollback()
    return dossier


def _record_elsewhere(app, code: str) -> None:
    """Another request records an event without a new version (as a result download does)."""
    from app.dossiers.history import record_event

    with app.app_context():  # its own session and connection
        other = get(code)
        record_event(other, "download_result", None, status_before=other.status,
                     status_after=other.status, public=False)
        db.session.commit()


@pytest.mark.parametrize("action, params, conflict", [
    # The head rides on the action's own UPDATE: a head that moved since the read is a 409.
    ("note", {"note": "Đã gọi điện cho công dân"}, True),
    # Receiving reads the database before its event (the register, the calendar), so the row
    # is written first and the event joins the head as it then is.
    ("receive", {}, False),
])
def test_an_event_recorded_meanwhile_never_forks_the_history(app, world, action, params,
                                                             conflict):
    from app.dossiers.history import verify_chain

    with app.app_context():
        code = new_dossier(world).code
        db.session.remove()
    with app.app_context():
        dossier = _read_earlier(code)  # the officer's request has read the row (and the head) …
        _record_elsewhere(app, code)  # … when another event joins the history
        db.session.add(dossier)
        if conflict:
            with pytest.raises(ConflictError):
                perform_action(user("officer"), dossier, action, **params)
            db.session.rollback()
            assert verify_chain() == (2, None)
            act(user("officer"), get(code), action, **params)  # read again, it goes through
        else:
            act(user("officer"), dossier, action, **params)
        assert verify_chain() == (3, None)
        assert get(code).history_count == 3


def test_an_event_recorded_outside_an_action_joins_a_head_that_moved(app, world):
    from app.dossiers.history import record_event, verify_chain

    with app.app_context():
        code = new_dossier(world).code
        db.session.remove()
    with app.app_context():
        dossier = _read_earlier(code)
        _record_elsewhere(app, code)
        db.session.add(dossier)
        record_event(dossier, "download_result", None, status_before=dossier.status,
                     status_after=dossier.status, public=False)  # re-chained, not forked
        db.session.commit()
        checked, broken = verify_chain()
        assert broken is None and checked == 3
        assert get(code).version == 1  # history alone never makes an officer's form stale


def test_an_action_failing_halfway_leaves_nothing_and_keeps_what_came_before(app, world,
                                                                               monkeypatch):
    """All or nothing: rolled back whole when the transaction held nothing else, to its
    savepoint when it did."""
    from sqlalchemy import func, select

    from app.dossiers import lifecycle
    from app.notifications.models import OutboxMessage

    def clock_fails(dossier, ctx):
        db.session.flush()  # the new status is written …
        raise DossierError("The calendar is unavailable.", 409)

    monkeypatch.setitem(lifecycle.EFFECTS, "start_clock", clock_fails)
    with app.app_context():
        code = new_dossier(world).code
        with pytest.raises(DossierError):
            perform_action(user("officer"), get(code), "receive")
        db.session.commit()  # as a request answering 409 does
        dossier = get(code)
        assert (dossier.status, dossier.history_count, dossier.version) == ("submitted", 1, 1)
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert db.session.scalar(select(func.count()).select_from(DossierEvent)) == 1

        dossier.contact_email = "moi@example.test"  # written before the action, in its transaction
        db.session.flush()
        with pytest.raises(DossierError):
            perform_action(user("officer"), dossier, "receive")
        db.session.commit()
        dossier = get(code)
        assert (dossier.status, dossier.contact_email) == ("submitted", "moi@example.test")
        assert db.session.scalar(select(func.count()).select_from(DossierEvent)) == 1
