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
