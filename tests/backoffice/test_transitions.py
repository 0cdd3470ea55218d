"""The state machine, exhaustively: every status × every action × every kind of actor."""
from __future__ import annotations

import pytest

from app.dossiers import lifecycle
from app.dossiers.models import STATUSES, DossierEvent
from app.dossiers.operations import DossierError, perform_action
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.backoffice.util import get, new_dossier, user

ACTIVE = {"received", "processing", "awaiting_payment", "needs_supplement"}
# The law's table written out independently of lifecycle.py: action → (from, to, who).
# to=None keeps the status; "*" = every status.
SPEC = {
    "submit": ({"draft", "needs_supplement"}, "submitted", {"owner"}),
    "withdraw": ({"draft", "submitted", "needs_supplement"}, "withdrawn", {"owner"}),
    "receive": ({"submitted"}, "received", {"officer"}),
    "request_supplement": ({"submitted", "received", "processing"}, "needs_supplement", {"officer"}),
    "reject": ({"submitted"}, "rejected", {"officer"}),
    "process": ({"received"}, "processing", {"officer"}),
    "request_payment": ({"processing"}, "awaiting_payment", {"officer"}),
    "pay": ({"awaiting_payment"}, "processing", {"officer", "system"}),
    "approve": ({"processing"}, "result_ready", {"officer"}),
    "refuse": ({"processing"}, "refused", {"officer"}),
    "stop": (ACTIVE, "stopped", {"officer"}),
    "return": ({"result_ready"}, "returned", {"officer"}),
    "apologize": (ACTIVE, None, {"officer"}),
    "assign": ({"submitted", "result_ready"} | ACTIVE, None, {"officer"}),
    "note": (set(STATUSES), None, {"officer"}),
}
NOTIFYING = {"receive", "request_supplement", "reject", "request_payment", "pay", "approve",
             "refuse", "stop", "return", "apologize"}
PARAMS = {"request_payment": {"amount": "50000"}, "apologize": {"new_due_date": "2099-01-05"},
          "assign": {"assignee": "colleague"}, "return": {"method": "office"},
          "request_supplement": {"items": ["Bản sao Giấy chứng sinh"]}}
# Actor kind → (user name or None for the system, its kind in SPEC, error when not allowed to act)
ACTORS = {
    "owner": ("citizen", "owner", 403),
    "officer": ("officer", "officer", 403),
    "admin": ("admin", "officer", 403),
    "other_officer": ("officer2", None, 404),
    "stranger": ("citizen2", None, 404),
    "auditor": ("auditor", None, 403),
    "system": (None, "system", 404),
}


def test_spec_covers_every_action():
    assert set(SPEC) == set(lifecycle.ACTIONS)


@pytest.mark.parametrize("status", STATUSES)
def test_every_action_from_every_status_by_every_actor(app, world, status):
    with app.app_context():
        for actor, action in ((a, act) for a in ACTORS for act in SPEC):
            username, kind, forbidden = ACTORS[actor]
            sources, target, kinds = SPEC[action]
            dossier = new_dossier(world, status=status, fee=0)
            actor_user = user(username) if username else None
            before = db.session.query(OutboxMessage).count()
            try:
                perform_action(actor_user, dossier, action, note="Lý do cụ thể",
                               **PARAMS.get(action, {}))
            except DossierError as exc:
                outcome = exc.status
            else:
                outcome = 200
            if kind in kinds and status in sources:
                assert outcome == 200, (action, status, actor)
                fresh = get(dossier.code)
                assert fresh.status == (target or status), (action, status, actor)
                event = db.session.query(DossierEvent).filter_by(dossier_id=fresh.id) \
                    .order_by(DossierEvent.id.desc()).first()
                assert (event.action, event.status_before, event.status_after) == \
                    (action, status, fresh.status)
                assert event.public == (action not in ("assign", "note"))
                sent = db.session.query(OutboxMessage).count() - before
                if action not in ("submit", "withdraw"):  # the citizen portal's own effects
                    assert (sent > 0) == (action in NOTIFYING), (action, sent)
            else:
                expected = 409 if kind in kinds else forbidden
                assert outcome == expected, (action, status, actor, outcome)
                assert get(dossier.code).status == status


def test_allowed_actions_lists_only_what_the_table_allows():
    for status in STATUSES:
        for kind in ("owner", "officer", "system"):
            names = {t.action for t in lifecycle.allowed_actions(status, kind)}
            assert names == {a for a, (src, _t, who) in SPEC.items() if kind in who and status in src}


def test_reason_is_required_where_the_law_needs_one(app, world):
    with app.app_context():
        for action, status in (("reject", "submitted"), ("refuse", "processing"),
                               ("stop", "processing"), ("request_supplement", "received"),
                               ("apologize", "processing"), ("note", "received")):
            dossier = new_dossier(world, status=status)
            with pytest.raises(DossierError) as info:
                perform_action(user("officer"), dossier, action, note="   ",
                               **PARAMS.get(action, {}))
            assert info.value.status == 422
            assert info.value.errors[0]["path"] == "/note"
            assert get(dossier.code).status == status


def test_unknown_inputs_are_not_recorded(app, world):
    with app.app_context():
        dossier = new_dossier(world)
        perform_action(user("officer"), dossier, "receive", received_at="2000-01-01", junk="x")
        event = db.session.query(DossierEvent).filter_by(dossier_id=dossier.id, action="receive").one()
        assert event.payload == {}
        assert get(dossier.code).received_at.year > 2000
