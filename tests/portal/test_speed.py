"""Speed as behaviour: bounded queries per page whatever the number of dossiers, permission
checks answered from the per-role cache and refreshed on change, the benchmark seed."""
from __future__ import annotations

import io
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import delete, event, func, select, text

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
    assert api_list <= 3  # the user with roles, profile and revisions; officer's units; the page
    # The catalogue is kept per worker under the settings revision: the revision's read, and
    # for the page the chosen unit with its province.
    assert catalogue_api <= 1
    assert catalogue_page <= 2
    assert queue <= 8


def test_permission_checks_are_answered_from_the_cache(app, client, birth):
    headers = auth(client, "citizen")
    client.get("/api/v1/dossiers", headers=headers)
    with statements(app) as sent:
        assert client.get("/api/v1/dossiers", headers=headers).status_code == 200
    # No permission rows are read: FAB alone would read the public role's and run an EXISTS.
    assert [s for s in sent if "ab_permission" in s] == []
    # One statement for the user, their roles and profile and both revisions; then the page.
    assert len([q for q in sent if q.strip() != "BEGIN"]) <= 2


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


# --- Filing: the statements of create, attach and submit ------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Pinned per request (SAVEPOINT, RELEASE and PostgreSQL's commit-fate probe count; the probe
# is spent only when no write returned the transaction's id — the code's sequence and the
# statistics' upsert do):
# create: the user (roles, profile, revisions) · the offering with its current version and the
#   unit's province, and on PostgreSQL in the same statement the code's number (and the
#   transaction's id; SQLite: a statement of its own) · INSERT dossier (its fee and history
#   head in the row) · INSERT event
# attach: the user · the dossier with procedure, version, unit and files · INSERT attachment ·
#   [txid probe]
# submit: the user · the dossier as for attach · INSERT outbox (email and SMS: one statement on
#   PostgreSQL, two on SQLite) · INSERT public log row · UPDATE dossier (status, fee, version,
#   history head) · INSERT event · upsert of the month's statistics (and the transaction's id)
FILING_LIMITS = {"postgresql": {"create": 4, "attach": 4, "submit": 7},
                 "sqlite": {"create": 5, "attach": 3, "submit": 8}}


def _filing_statements(app, client, birth) -> dict[str, list[str]]:
    from tests.portal.data import birth_data

    headers = auth(client, "citizen")
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": {"phone": "0912345678", "email": "an@example.test"},
            "delivery": {"method": "office"}}  # a paper birth notice: its scan is required

    def file_once(sent: dict[str, list[str]] | None = None) -> str:
        steps = {
            "create": lambda: client.post("/api/v1/dossiers/", headers=headers, json=body),
            "attach": lambda: client.post(
                f"/api/v1/dossiers/{code}/attachments", headers=headers,
                content_type="multipart/form-data",
                data={"document_key": "giay_chung_sinh", "file": (io.BytesIO(PDF), "gcs.pdf")}),
            "submit": lambda: client.post(f"/api/v1/dossiers/{code}/submit", headers=headers),
        }
        code = ""
        for name, step in steps.items():
            if sent is None:
                response = step()
            else:
                with statements(app) as seen:
                    response = step()
                sent[name] = [q for q in seen if q.strip() != "BEGIN"]
            assert response.status_code in (200, 201), (name, response.get_json())
            code = code or response.get_json()["code"]
        assert response.get_json()["status"] == "submitted"
        return code

    file_once()  # warm: the caches of the process (permissions, settings, compiled form)
    sent: dict[str, list[str]] = {}
    file_once(sent)
    return sent


def test_filing_costs_a_pinned_number_of_statements(app, client, birth, is_postgres):
    sent = _filing_statements(app, client, birth)
    counts = {name: len(queries) for name, queries in sent.items()}
    limits = FILING_LIMITS["postgresql" if is_postgres else "sqlite"]
    assert all(counts[name] <= limits[name] for name in limits), (counts, sent)
    everything = [q for queries in sent.values() for q in queries]
    # No permission rows, no savepoints where nothing else is in the transaction, no read of
    # the previous event (the head is on the dossier), no settings read again, one UPDATE.
    assert not [q for q in everything if "ab_permission" in q or "SAVEPOINT" in q]
    assert not [q for q in everything if q.lstrip().startswith("SELECT")
                and ("FROM dossier_events" in q or "FROM fee_settings" in q
                     or "FROM notification_templates" in q or "FROM public_dossiers" in q)]
    assert len([q for q in sent["submit"] if q.lstrip().startswith("UPDATE dossiers")]) == 1
    outbox = [q for q in sent["submit"] if "INSERT INTO outbox_messages" in q]
    assert len(outbox) == (1 if is_postgres else 2)  # both channels in one statement on PG
    with app.app_context():
        checked, broken = verify_chain()
        assert broken is None and checked == 4  # create and submit, twice
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 4


def test_a_worker_that_has_not_compiled_the_form_yet_reads_it_to_submit(app, client, birth):
    """Filing reads the version without its form JSON; a worker without the compiled form reads
    the form then (once), and checks the declaration as always."""
    from app.forms.engine import clear_cache
    from tests.portal.data import birth_data

    headers = auth(client, "citizen")
    body = {"procedure": birth["procedure"], "unit": birth["unit"],
            "contact": {"phone": "0912345678", "email": "an@example.test"},
            "delivery": {"method": "office"}}
    wrong = client.post("/api/v1/dossiers/", headers=headers, json={**body, "data": {}})
    clear_cache()
    refused = client.post(f"/api/v1/dossiers/{wrong.get_json()['code']}/submit", headers=headers)
    assert refused.status_code == 422
    assert "/data/requester" in {e["path"] for e in refused.get_json()["errors"]}
    right = client.post("/api/v1/dossiers/", headers=headers,
                        json={**body, "data": {**birth_data(), "birth_notice": "dien_tu"}})
    clear_cache()
    assert client.post(f"/api/v1/dossiers/{right.get_json()['code']}/submit",
                       headers=headers).status_code == 200


# --- Settings read once per process, read again when they change ----------------------------

def _file(client, headers, birth) -> str:
    answer = client.post("/api/v1/dossiers/", headers=headers, json={
        "procedure": birth["procedure"], "unit": birth["unit"], "data": {},
        "contact": {"phone": "0912345678"}, "delivery": {"method": "office"}})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["code"]


def _fee(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Dossier.fee).where(Dossier.code == code))


def _province_setting(app, birth, fee: int) -> None:
    from app.procedures.fees import FeeSetting
    from app.procedures.models import Procedure
    from app.units.models import AdministrativeUnit

    with app.app_context():
        province = db.session.scalar(select(AdministrativeUnit).where(
            AdministrativeUnit.code == birth["province"]))
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == birth["procedure"]))
        setting = db.session.scalar(select(FeeSetting).where(
            FeeSetting.province_id == province.id, FeeSetting.procedure_id == procedure.id))
        if setting is None:
            setting = FeeSetting(province_id=province.id, procedure_id=procedure.id)
            db.session.add(setting)
        setting.fee = fee
        db.session.commit()


def test_a_fee_changed_by_an_administrator_applies_to_the_next_filing(app, client, birth):
    headers = auth(client, "citizen")
    _province_setting(app, birth, 8000)
    assert _fee(app, _file(client, headers, birth)) == 8000
    with statements(app) as sent:
        code = _file(client, headers, birth)
    assert _fee(app, code) == 8000
    assert not [q for q in sent if "fee_settings" in q]  # read once per process
    _province_setting(app, birth, 5000)  # through the ORM: the revision moves with it
    assert _fee(app, _file(client, headers, birth)) == 5000


def test_a_fee_changed_by_another_process_is_seen_through_the_stored_revision(app, client, birth):
    from app.core.settings_cache import bump

    headers = auth(client, "citizen")
    _province_setting(app, birth, 8000)
    assert _fee(app, _file(client, headers, birth)) == 8000
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:  # not through this process's ORM session
            conn.execute(text("UPDATE fee_settings SET fee = 6000"))
            bump(conn)
    assert _fee(app, _file(client, headers, birth)) == 6000


def test_settings_seen_by_a_transaction_that_rolled_back_are_not_kept(app, client, birth):
    """The revision a rolled-back change took may be taken again by another change: what the
    rolled-back transaction read must not be remembered under it."""
    from app.core.settings_cache import SettingsRevision, bump
    from app.dossiers import fees
    from app.procedures.fees import FeeSetting

    headers = auth(client, "citizen")
    _province_setting(app, birth, 8000)
    code = _file(client, headers, birth)
    with app.app_context():
        before = db.session.scalar(select(SettingsRevision.revision))
        setting = db.session.scalars(select(FeeSetting)).one()
        setting.fee = 7000
        db.session.flush()  # bumps the revision, uncommitted
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        assert fees.quote(dossier).total == 7000
        db.session.rollback()
        with db.engine.begin() as conn:  # another process's change takes the same number
            conn.execute(text("UPDATE fee_settings SET fee = 9000"))
            bump(conn)
        assert db.session.scalar(select(SettingsRevision.revision)) == before + 1
        db.session.remove()
    assert _fee(app, _file(client, headers, birth)) == 9000


def test_a_notification_text_changed_applies_to_the_next_submission(app, client, birth):
    from app.notifications.texts import NotificationTemplate

    headers = auth(client, "citizen")

    def submitted_sms() -> str:
        from tests.portal.data import birth_data

        code = client.post("/api/v1/dossiers/", headers=headers, json={
            "procedure": birth["procedure"], "unit": birth["unit"],
            "data": {**birth_data(), "birth_notice": "dien_tu"},  # no scan needed
            "contact": {"phone": "0912345678", "email": "an@example.test"},
            "delivery": {"method": "office"}}).get_json()["code"]
        answer = client.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
        assert answer.status_code == 200, answer.get_json()
        with app.app_context():
            return db.session.scalars(select(OutboxMessage.body).where(
                OutboxMessage.channel == "sms").order_by(OutboxMessage.id.desc())).first()

    with app.app_context():
        db.session.add(NotificationTemplate(event="submitted", channel="sms", locale="vi",
                                            subject="", body="Đã nộp {code}"))
        db.session.commit()
    first = submitted_sms()
    assert isinstance(first, str) and first.startswith("Đã nộp "), first
    with app.app_context():
        row = db.session.scalars(select(NotificationTemplate)).one()
        row.body = "Hồ sơ {code} đã được nộp"
        db.session.commit()
    assert submitted_sms().startswith("Hồ sơ ")


def test_a_filing_refused_for_its_unit_or_procedure_takes_no_number(app, client, birth):
    """The code's number is taken by the offering's read only where the offering exists: a
    unit or procedure that is not offered leaves no counter behind, and the next filing's
    code follows the last one."""
    from app.dossiers.models import DossierSequence
    from tests.portal.data import birth_data

    headers = auth(client, "citizen")
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": {"phone": "0912345678", "email": "an@example.test"},
            "delivery": {"method": "office"}}
    first = client.post("/api/v1/dossiers/", headers=headers, json=body).get_json()["code"]
    for wrong in ({"unit": "99999"}, {"procedure": "9.999999"}):
        refused = client.post("/api/v1/dossiers/", headers=headers, json={**body, **wrong})
        assert refused.status_code == 422
        assert refused.get_json()["errors"][0]["path"] == "/procedure"
    second = client.post("/api/v1/dossiers/", headers=headers, json=body).get_json()["code"]
    assert int(second[-4:]) == int(first[-4:]) + 1 and second[:-4] == first[:-4]
    with app.app_context():
        units = set(db.session.scalars(select(DossierSequence.unit_code)))
        assert units == {birth["unit"]}
