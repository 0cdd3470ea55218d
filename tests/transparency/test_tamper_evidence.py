"""Tampering with history rows directly in the database makes `flask audit verify` fail and name
the event: altered, inserted or deleted, the last one included, even with its hash recomputed."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, text, update

from app.core.types import utcnow
from app.dossiers import history
from app.dossiers.history import event_digest
from app.dossiers.models import Dossier, DossierEvent
from app.dossiers.operations import perform_action
from app.extensions import db
from app.transparency.models import HistoryDigest
from app.workdays import LOCAL_TZ
from tests.backoffice.util import get, new_dossier, user


def verify(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def events_of(code: str) -> list[DossierEvent]:
    dossier = get(code)
    return list(db.session.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                                   .order_by(DossierEvent.id)))


@pytest.fixture
def dossiers(app, world):
    """Two dossiers with a few events each (create, receive, process, note)."""
    with app.app_context():
        codes = []
        for _ in range(2):
            dossier = new_dossier(world)
            officer = user("officer")
            perform_action(officer, dossier, "receive")
            perform_action(officer, dossier, "process")
            perform_action(officer, dossier, "note", note="ghi chú nội bộ")
            db.session.commit()
            codes.append(dossier.code)
        assert [len(events_of(c)) for c in codes] == [4, 4]
    return codes


def test_an_untouched_history_verifies(app, dossiers):
    code, output = verify(app)
    assert code == 0, output
    assert "8 events" in output


def test_an_altered_event_is_named(app, dossiers):
    with app.app_context():
        target = events_of(dossiers[0])[1].id
        db.session.execute(update(DossierEvent).where(DossierEvent.id == target).values(note="sửa"))
        db.session.commit()
    code, output = verify(app)
    assert code == 1 and f"event {target} of dossier {dossiers[0]}" in output
    assert "content does not match its hash" in output


def test_a_deleted_middle_event_is_named_by_the_one_after_it(app, dossiers):
    with app.app_context():
        chain = [e.id for e in events_of(dossiers[1])]
        db.session.execute(delete(DossierEvent).where(DossierEvent.id == chain[1]))
        db.session.commit()
    code, output = verify(app)
    assert code == 1 and f"event {chain[2]} of dossier {dossiers[1]}" in output
    assert "previous-hash link" in output


def test_a_deleted_last_event_is_caught(app, dossiers):
    with app.app_context():
        chain = [e.id for e in events_of(dossiers[0])]
        db.session.execute(delete(DossierEvent).where(DossierEvent.id == chain[-1]))
        db.session.commit()
    code, output = verify(app)
    assert code == 1 and dossiers[0] in output
    assert f"1 event(s) deleted (after event {chain[-2]}" in output


def test_every_event_of_a_dossier_deleted_is_caught(app, dossiers):
    with app.app_context():
        dossier = get(dossiers[1])
        db.session.execute(delete(DossierEvent).where(DossierEvent.dossier_id == dossier.id))
        db.session.commit()
    code, output = verify(app)
    assert code == 1 and f"dossier {dossiers[1]}: 4 event(s) deleted" in output


def test_a_last_event_rewritten_with_its_hash_recomputed_is_caught(app, dossiers):
    with app.app_context():
        last = events_of(dossiers[0])[-1]
        last.note = "không có gì"
        last.hash = event_digest(last, dossiers[0])  # the app's own function
        db.session.commit()
        last_id = last.id
    code, output = verify(app)
    assert code == 1 and f"event {last_id} of dossier {dossiers[0]}" in output
    assert "last event rewritten" in output


def test_an_event_appended_with_a_valid_link_is_caught(app, dossiers):
    with app.app_context():
        dossier, last = get(dossiers[1]), events_of(dossiers[1])[-1]
        forged = DossierEvent(dossier_id=dossier.id, actor_id=None, action="note", created_at=utcnow(),
                              status_before="processing", status_after="processing", note="giả",
                              public=False, payload={}, prev_hash=last.hash)
        forged.hash = event_digest(forged, dossier.code)
        db.session.add(forged)
        db.session.commit()
        forged_id = forged.id
    code, output = verify(app)
    assert code == 1 and f"event {forged_id} of dossier {dossiers[1]}" in output and "inserted" in output


def test_a_rewrite_that_also_fixes_the_head_is_caught_by_the_published_digest(app, world, monkeypatch):
    yesterday = dt.datetime.now(LOCAL_TZ).date() - dt.timedelta(days=1)
    noon = dt.datetime.combine(yesterday, dt.time(12), LOCAL_TZ).astimezone(dt.timezone.utc)
    monkeypatch.setattr(history, "utcnow", lambda: noon)
    with app.app_context():
        dossier = new_dossier(world)
        perform_action(user("officer"), dossier, "receive")
        db.session.commit()
        code = dossier.code
    monkeypatch.undo()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["audit", "digest", "--date", yesterday.isoformat()])
    assert first.exit_code == 0 and "(2 events) published" in first.output, first.output
    again = runner.invoke(args=["audit", "digest", "--date", yesterday.isoformat()])
    assert again.exit_code == 0 and "already published, unchanged" in again.output
    assert verify(app)[0] == 0
    with app.app_context():
        last = events_of(code)[-1]
        last.note = "viết lại"
        last.hash = event_digest(last, code)
        db.session.execute(update(Dossier).where(Dossier.code == code).values(history_head=last.hash))
        db.session.commit()
    status, output = verify(app)
    assert status == 1 and yesterday.isoformat() in output and "rewritten" in output, output
    refused = runner.invoke(args=["audit", "digest", "--date", yesterday.isoformat()])
    assert refused.exit_code == 1  # a published day never silently changes


def test_digests_are_chained_published_in_order_and_public(app, client, world):
    runner = app.test_cli_runner()
    today = dt.datetime.now(LOCAL_TZ).date()
    days = [today - dt.timedelta(days=n) for n in (3, 1)]
    assert runner.invoke(args=["audit", "digest", "--date", days[0].isoformat()]).exit_code == 0
    out = runner.invoke(args=["audit", "digest"])  # yesterday, and the day missed before it
    assert out.exit_code == 0 and out.output.count("published") == 2, out.output
    assert runner.invoke(args=["audit", "digest", "--date",
                               (today - dt.timedelta(days=5)).isoformat()]).exit_code == 1
    assert runner.invoke(args=["audit", "digest", "--date", today.isoformat()]).exit_code == 1
    with app.app_context():
        rows = list(db.session.scalars(select(HistoryDigest).order_by(HistoryDigest.day)))
        assert [r.previous for r in rows[1:]] == [r.digest for r in rows[:-1]]
        latest = rows[-1].digest
        db.session.execute(text("UPDATE history_digests SET previous = 'x' WHERE day = :d"),
                           {"d": rows[1].day})
        db.session.commit()
    answer = client.get("/api/v1/public/digests")
    assert answer.status_code == 200
    assert [d["date"] for d in answer.get_json()] == [days[1].isoformat(),
                                                      (days[1] - dt.timedelta(days=1)).isoformat(),
                                                      days[0].isoformat()]
    page = client.get("/public/digests")
    assert page.status_code == 200 and latest in page.get_data(as_text=True)
    status, output = verify(app)
    assert status == 1 and "link to the previous day's digest was altered" in output
