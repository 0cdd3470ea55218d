"""Speed as behaviour: bounded queries per page whatever the number of dossiers, permission
checks answered from the per-role cache and refreshed on change, the benchmark seed."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event, func, select

from app.dossiers.history import verify_chain
from app.dossiers.models import Dossier, DossierEvent
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.security.permissions import PermissionRevision, bump_revision
from app.synthetic import seed_dossiers
from tests.factories import create_dossier
from tests.helpers import auth, web_login


@contextmanager
def statements(app):
    """The SQL statements sent while the block runs."""
    sent: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _seed(app, n: int) -> None:
    with app.app_context():
        seed_dossiers(n, batch=50, seed=n)


def test_bench_seed_writes_dossiers_with_a_valid_chain_events_and_outbox(app, birth):
    result = app.test_cli_runner().invoke(args=["bench", "seed", "--dossiers", "120",
                                                "--batch", "100"])
    assert result.exit_code == 0, result.output
    assert "seeded 120 dossiers" in result.output
    assert "120/120 dossiers" in result.output  # progress is shown batch by batch
    with app.app_context():
        dossiers = db.session.scalars(select(Dossier)).all()
        assert len(dossiers) == 120
        assert all(re.fullmatch(rf"{d.unit.code}-\d{{6}}-\d{{4}}", d.code) for d in dossiers)
        assert len({d.status for d in dossiers}) > 3  # realistic: many paths of the lifecycle
        spread = db.session.execute(select(func.min(Dossier.created_at),
                                           func.max(Dossier.created_at))).one()
        assert (spread[1] - spread[0]).days > 300  # two years of filings
        events = db.session.scalar(select(func.count()).select_from(DossierEvent))
        assert events >= 120
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 120
        checked, broken = verify_chain()
        assert broken is None and checked == events
        # A dossier filed afterwards continues the numbering: no code is issued twice.
        officer_unit = dossiers[0].unit
        later = create_dossier(None, officer_unit, procedure=dossiers[0].procedure)
        assert later.code not in {d.code for d in dossiers}


def test_a_tampered_seeded_event_is_caught_by_audit_verify(app, birth):
    _seed(app, 10)
    with app.app_context():
        event_row = db.session.scalars(select(DossierEvent).order_by(DossierEvent.id)).first()
        event_row.note = "rewritten"
        db.session.commit()
        assert verify_chain()[1] is not None


def _page_queries(app, client, path: str, headers=None) -> int:
    client.get(path, headers=headers)  # warm: caches of the process
    with statements(app) as sent:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return len([q for q in sent if q.strip() != "BEGIN"])  # SQLite's own BEGIN is no query


def test_listing_pages_cost_the_same_queries_at_any_number_of_dossiers(app, client, birth):
    _seed(app, 15)
    api = auth(client, "officer")
    pages = [("/api/v1/dossiers", api), (f"/api/v1/procedures?unit={birth['unit']}", None),
             (f"/procedures?unit={birth['unit']}", None)]
    web = app.test_client()
    web_login(web, "officer")
    small = [_page_queries(app, client, path, headers) for path, headers in pages]
    small.append(_page_queries(app, web, "/backoffice/"))
    _seed(app, 150)
    large = [_page_queries(app, client, path, headers) for path, headers in pages]
    large.append(_page_queries(app, web, "/backoffice/"))
    # Ten times the dossiers, no more statements (the first queue also met calendars).
    assert all(after <= before for after, before in zip(large, small, strict=True)), (small, large)
    api_list, catalogue_api, catalogue_page, queue = large
    assert api_list <= 5  # revision, user with roles, its session generation, officer's units, the page
    assert catalogue_api <= 1  # the page and its total in one statement
    assert catalogue_page <= 5
    assert queue <= 8


def test_permission_checks_are_answered_from_the_cache(app, client, birth):
    headers = auth(client, "citizen")
    client.get("/api/v1/dossiers", headers=headers)
    with statements(app) as sent:
        assert client.get("/api/v1/dossiers", headers=headers).status_code == 200
    # No permission rows are read: FAB alone would read the public role's and run an EXISTS.
    assert [s for s in sent if "ab_permission" in s] == []
    assert len([q for q in sent if q.strip() != "BEGIN"]) <= 4


def _citizen_dossier_read(app):
    sm = app.appbuilder.sm
    role = sm.find_role("Citizen")
    return role, [p for p in role.permissions
                  if (p.permission.name, p.view_menu.name) == ("can_read", "Dossier")]


def test_a_permission_taken_from_a_role_applies_on_the_next_request(app, client, birth):
    headers = auth(client, "citizen")
    assert client.get("/api/v1/dossiers", headers=headers).status_code == 200
    with app.app_context():
        role, pairs = _citizen_dossier_read(app)
        role.permissions = [p for p in role.permissions if p not in pairs]
        db.session.commit()
    try:
        assert client.get("/api/v1/dossiers", headers=headers).status_code in (401, 403)
    finally:
        with app.app_context():
            role, _none = _citizen_dossier_read(app)
            sm = app.appbuilder.sm
            role.permissions.append(sm.find_permission_view_menu("can_read", "Dossier"))
            db.session.commit()
    assert client.get("/api/v1/dossiers", headers=headers).status_code == 200


def test_a_change_made_by_another_process_is_seen_through_the_stored_revision(app, client, birth):
    """Another worker changes the rows and bumps the revision; this worker's cache reloads."""
    from flask_appbuilder.security.sqla.models import assoc_permissionview_role

    headers = auth(client, "citizen")
    assert client.get("/api/v1/dossiers", headers=headers).status_code == 200
    with app.app_context():
        role, pairs = _citizen_dossier_read(app)
        role_id, pair_id = role.id, pairs[0].id
        before = db.session.scalar(select(PermissionRevision.revision))
        db.session.remove()
        with db.engine.begin() as conn:  # not through this process's ORM session
            conn.execute(delete(assoc_permissionview_role).where(
                assoc_permissionview_role.c.role_id == role_id,
                assoc_permissionview_role.c.permission_view_id == pair_id))
            bump_revision(conn)
    try:
        assert client.get("/api/v1/dossiers", headers=headers).status_code in (401, 403)
    finally:
        with app.app_context():
            with db.engine.begin() as conn:
                conn.execute(assoc_permissionview_role.insert().values(
                    role_id=role_id, permission_view_id=pair_id))
                bump_revision(conn)
            assert db.session.scalar(select(PermissionRevision.revision)) >= (before or 0) + 2
    assert client.get("/api/v1/dossiers", headers=headers).status_code == 200


def test_only_a_request_that_wrote_asks_postgresql_for_its_transaction(app, client, birth,
                                                                       is_postgres):
    if not is_postgres:
        pytest.skip("the commit-fate probe exists on PostgreSQL only")
    headers = auth(client, "citizen")
    with statements(app) as sent:
        assert client.get("/api/v1/dossiers", headers=headers).status_code == 200
    assert not [s for s in sent if "txid_current" in s]
    with statements(app) as sent:
        created = client.post("/api/v1/dossiers/", headers=headers, json={
            "procedure": birth["procedure"], "unit": birth["unit"], "data": {},
            "contact": {"phone": "0912345678"}, "delivery": {"method": "office"}})
    assert created.status_code == 201
    assert len([s for s in sent if "txid_current" in s]) == 1, [s[:60] for s in sent]
