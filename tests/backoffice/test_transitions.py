"""The state machine, one test per (status, action, actor) so that a failure names its case.

The law's table is written out here independently of lifecycle.py. Every case runs inside a
transaction that is rolled back, on a world created once for the module.
"""
from __future__ import annotations

import pytest

from app.dossiers import lifecycle
from app.dossiers.errors import DossierError
from app.dossiers.models import DossierEvent
from app.dossiers.operations import available_actions, perform_action
from app.dossiers.status import STATUSES
from app.extensions import db
from app.notifications.models import OutboxMessage
from tests.backoffice.conftest import make_world
from tests.backoffice.util import get, new_dossier, user
from tests.conftest import empty_tables

ACTIVE = {"received", "processing", "awaiting_payment", "needs_supplement"}
ALL = set(STATUSES)
# action → (from, to, who); to=None keeps the status.
SPEC = {
    "submit": ({"draft", "needs_supplement"}, "submitted", {"owner"}),
    "withdraw": ({"draft", "submitted", "needs_supplement"}, "withdrawn", {"owner"}),
    "receive": ({"submitted"}, "received", {"officer"}),
    "request_supplement": ({"submitted", "received", "processing"}, "needs_supplement", {"officer"}),
    "reject": ({"submitted"}, "rejected", {"officer"}),
    "process": ({"received"}, "processing", {"officer"}),
    "request_payment": ({"processing"}, "awaiting_payment", {"officer"}),
    "pay": ({"awaiting_payment"}, "processing", {"officer"}),
    "approve": ({"processing"}, "result_ready", {"officer"}),
    "refuse": ({"processing"}, "refused", {"officer"}),
    "stop": (ACTIVE, "stopped", {"officer"}),
    "return": ({"result_ready"}, "returned", {"officer"}),
    "apologize": (ACTIVE, None, {"officer"}),
    "assign": ({"submitted", "result_ready"} | ACTIVE, None, {"officer"}),
    "note": (ALL - {"draft"}, None, {"officer"}),
    "refund": ({"withdrawn", "rejected", "refused", "stopped"}, None, {"officer"}),
    "forward": ({"submitted", "received"}, None, {"officer"}),
}
# The officer's rights on dossiers taken at the counter only (tests/counter): on the online
# dossiers used here their guard refuses (409), or the draft is not theirs to see (404).
# At the counter the officer also takes a fee paid at submission before receiving.
COUNTER_ONLY = {("withdraw", "draft"), ("receive", "draft"), ("receive", "needs_supplement"),
                ("pay", "draft"), ("pay", "needs_supplement")}
# Forwarding needs a procedure that allows it; the one used here does not (tests/counter).
OFFICER_GUARDED = {("forward", "submitted"), ("forward", "received")}
# The system's own rights: action → from. Receiving a draft and returning a received dossier
# are for linked dossiers only: their guards refuse (409) on the ordinary dossiers used here.
# A confirmed payment is credited from any status while something is due (here nothing is),
# and moves the dossier on only from awaiting_payment. The system stops a linked dossier one of
# whose parts failed (tests/backoffice/test_linked_sequence.py): here there is no part.
SYSTEM = {"pay": ALL, "receive": {"draft"}, "return": {"received", "processing"}, "stop": ACTIVE}
GUARDED = {("receive", "draft"), ("return", "received"), ("return", "processing")} | \
    {("pay", s) for s in ALL - {"awaiting_payment"}} | {("stop", s) for s in ACTIVE}
NOTIFYING = {"submit", "receive", "request_supplement", "reject", "request_payment", "pay",
             "approve", "refuse", "stop", "return", "apologize", "refund"}
# What a dossier needs for an action to be possible at all (a refund needs money paid).
FIELDS = {"refund": {"fee_paid": 10000, "payment_status": "paid"}}
PARAMS = {"request_payment": {"amount": 50000}, "apologize": {"new_due_date": "2099-01-05"},
          "assign": {"assignee": "colleague"}, "return": {"method": "office"},
          "request_supplement": {"items": ["Bản sao Giấy chứng sinh"]}, "forward": {"unit": "00000"}}
ACTORS = {"owner": "citizen", "officer": "officer", "system": None}


def expected(action: str, status: str, actor: str) -> int:
    sources, _target, who = SPEC[action]
    if actor == "system":
        if action not in SYSTEM:
            return 404
        return 200 if status in SYSTEM[action] and (action, status) not in GUARDED else 409
    if actor == "officer" and status == "draft":
        return 404  # drafts are their owner's alone (but those taken at the counter)
    if actor == "officer" and ((action, status) in COUNTER_ONLY or (action, status) in OFFICER_GUARDED):
        return 409
    if actor in who:
        return 200 if status in sources else 409
    if actor == "officer" and any(a == action for a, _s in COUNTER_ONLY):
        return 409  # an officer's action, but from the counter's statuses only
    return 403


@pytest.fixture(scope="module")
def table_world(app):
    with app.app_context():
        world = make_world()
    yield world
    with app.app_context():
        empty_tables()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Each case runs in one transaction that is rolled back (overrides the truncating one)."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


def test_spec_covers_every_action():
    assert set(SPEC) == set(lifecycle.ACTIONS)


def _act(world, status: str, action: str, username: str | None, **fields):
    dossier = new_dossier(world, status=status, fee=0, commit=False,
                          **{**FIELDS.get(action, {}), **fields})
    before = db.session.query(OutboxMessage).count()
    try:
        perform_action(user(username) if username else None, dossier, action,
                       note="Lý do cụ thể", **PARAMS.get(action, {}))
    except DossierError as exc:
        return dossier, exc.status, 0
    return dossier, 200, db.session.query(OutboxMessage).count() - before


@pytest.mark.parametrize("actor", list(ACTORS))
@pytest.mark.parametrize("action", list(SPEC))
@pytest.mark.parametrize("status", list(STATUSES))
def test_transition(table_world, status, action, actor):
    dossier, outcome, sent = _act(table_world, status, action, ACTORS[actor])
    want = expected(action, status, actor)
    assert outcome == want
    fresh = get(dossier.code, expire=False)
    if want != 200:
        assert fresh.status == status
        return
    target = SPEC[action][1]
    assert fresh.status == (target or status)
    event = db.session.query(DossierEvent).filter_by(dossier_id=fresh.id) \
        .order_by(DossierEvent.id.desc()).first()
    assert (event.action, event.status_before, event.status_after) == (action, status, fresh.status)
    assert event.public == (action not in ("assign", "note"))
    notifies = action in NOTIFYING or (action == "withdraw" and status != "draft")
    assert (sent > 0) == notifies


# Who else may act: by relation to the dossier, each on a status where the action is open.
OTHERS = {"admin": "admin", "other_officer": "officer2", "stranger": "citizen2",
          "auditor": "auditor"}


def _others_expected(other: str, action: str) -> int:
    who = SPEC[action][2]
    if other == "admin":
        if action == "forward" or action == "withdraw":
            return 409  # forward: not a forwardable procedure; withdraw: counter drafts only
        return 200 if "officer" in who else 403
    return {"other_officer": 404, "stranger": 404, "auditor": 403}[other]


@pytest.mark.parametrize("other", list(OTHERS))
@pytest.mark.parametrize("action", list(SPEC))
def test_capability(table_world, action, other):
    status = sorted(SPEC[action][0] - {"draft"})[0]
    _dossier, outcome, _sent = _act(table_world, status, action, OTHERS[other])
    assert outcome == _others_expected(other, action)


@pytest.mark.parametrize("action", [a for a, (_s, _t, who) in SPEC.items() if "officer" in who])
def test_nobody_acts_as_officer_on_a_dossier_they_applied_for(table_world, action):
    status = sorted(SPEC[action][0] - {"draft"})[0]
    _dossier, outcome, _sent = _act(table_world, status, action, "officer", owner="officer")
    assert outcome == 403


def test_allowed_actions_lists_only_what_the_table_allows():
    for status in STATUSES:
        for kind in ("owner", "officer", "system"):
            names = {t.action for t in lifecycle.allowed_actions(status, kind)}
            if kind == "system":
                assert names == {a for a, src in SYSTEM.items() if status in src}
            else:
                assert names == {a for a, (src, _t, who) in SPEC.items()
                                 if kind in who and status in src} | \
                    ({a for a, s in COUNTER_ONLY if s == status} if kind == "officer" else set())


def test_panels_offer_what_the_gate_allows_guards_included(table_world):
    dossier = new_dossier(table_world, status="received", commit=False)
    offered = {t.action for t in available_actions(user("officer"), dossier, lifecycle.OFFICER)}
    assert offered == {a for a, (src, _t, who) in SPEC.items() if "officer" in who and "received" in src
                       and (a, "received") not in OFFICER_GUARDED}
    assert available_actions(user("auditor"), dossier) == []


@pytest.mark.parametrize("action,status", [
    ("reject", "submitted"), ("refuse", "processing"), ("stop", "processing"),
    ("request_supplement", "received"), ("apologize", "processing"), ("note", "received")])
def test_reason_is_required_where_the_law_needs_one(table_world, action, status):
    dossier = new_dossier(table_world, status=status, commit=False)
    with pytest.raises(DossierError) as info:
        perform_action(user("officer"), dossier, action, note="   ", **PARAMS.get(action, {}))
    assert info.value.status == 422
    assert [e["path"] for e in info.value.errors] == ["/note"]
    assert get(dossier.code, expire=False).status == status


def test_unknown_inputs_are_refused_at_their_path(table_world):
    dossier = new_dossier(table_world, commit=False)
    with pytest.raises(DossierError) as info:
        perform_action(user("officer"), dossier, "receive", received_at="2000-01-01")
    assert info.value.status == 422
    assert [e["path"] for e in info.value.errors] == ["/received_at"]
    assert get(dossier.code, expire=False).status == "submitted"


def test_wrongly_typed_inputs_are_refused_at_their_path(table_world):
    dossier = new_dossier(table_world, status="processing", commit=False)
    with pytest.raises(DossierError) as info:
        perform_action(user("officer"), dossier, "request_payment", amount="a lot")
    assert [e["path"] for e in info.value.errors] == ["/amount"]
