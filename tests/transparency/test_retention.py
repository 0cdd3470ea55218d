"""`flask retention run` anonymises ended dossiers whose procedure's retention period is over:
form data, contact, attachments; the public log, statistics and history chain stay intact."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from app.dossiers.models import Attachment, DossierEvent, ResultDocument, SatisfactionRating
from app.dossiers.operations import perform_action
from app.dossiers.ratings import rate_dossier
from app.extensions import db
from app.notifications.models import OutboxMessage
from app.procedures.models import Procedure
from app.storage import get_storage, store
from app.transparency import counts
from app.transparency.models import PublicDossier
from tests.backoffice.conftest import at
from tests.backoffice.util import get, new_dossier, user


def returned_dossier(world, clock, when: dt.datetime) -> str:
    clock.set(when)
    dossier = new_dossier(world, data={"full_name": "Nguyễn Thị Lưu Trữ"})
    key = f"retention/{dossier.code}.pdf"
    store(key, b"%PDF-1.4 test", "application/pdf")
    db.session.add(Attachment(dossier_id=dossier.id, document_key="giay_to", filename="cccd.pdf",
                              content_type="application/pdf", size=13, sha256="0" * 64,
                              storage_key=key))
    db.session.commit()
    officer = user("officer")
    for action, params in (("receive", {}), ("process", {}), ("approve", {"result_text": "KQ"}),
                           ("return", {"method": "post", "tracking_number": "EB123456789VN"})):
        perform_action(officer, dossier, action, **params)
    dossier.applicant_name, dossier.applicant_id_number = "Nguyễn Thị Lưu Trữ", "075195001234"
    rate_dossier(user("citizen"), dossier, 4, "Chị Lưu Trữ, 0912345678")
    db.session.commit()
    return dossier.code


def test_retention_anonymises_what_is_due_and_keeps_log_stats_and_chain(app, world, clock):
    with app.app_context():
        procedure = db.session.scalar(select(Procedure).where(Procedure.code == world.procedure_code))
        procedure.retention_months = 12
        db.session.commit()
        old = returned_dossier(world, clock, at(2025, 9, 3, 9))
        recent = returned_dossier(world, clock, at(2026, 6, 2, 9))
        still_open = new_dossier(world).code
        stats_before = counts.stored()
        log_before = [(r.code, r.status, r.applicant) for r in db.session.scalars(select(PublicDossier))]
        key = get(old).attachments[0].storage_key
        result_keys = list(db.session.scalars(select(ResultDocument.storage_key).where(
            ResultDocument.dossier_id == get(old).id)))
        assert result_keys and all(get_storage().exists(k) for k in result_keys)
        db.session.remove()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0 and f"would anonymise {old}" in dry.output, dry.output
    assert recent not in dry.output and still_open not in dry.output
    with app.app_context():
        assert get(old).data == {"full_name": "Nguyễn Thị Lưu Trữ"}  # the dry run changed nothing
    done = runner.invoke(args=["retention", "run"])
    assert done.exit_code == 0 and f"anonymised {old}" in done.output and "1 dossier(s)" in done.output
    with app.app_context():
        dossier = get(old)
        assert dossier.data == {} and dossier.contact_phone == "" and dossier.contact_email == ""
        assert dossier.attachments == [] and dossier.anonymised_at is not None
        assert not get_storage().exists(key)
        assert (dossier.applicant_name, dossier.applicant_id_number, dossier.tracking_number) == ("", "", None)
        results = db.session.scalars(select(ResultDocument).where(ResultDocument.dossier_id == dossier.id)).all()
        assert results and all(not get_storage().exists(r.storage_key) for r in results)
        assert all(r.sha256 and r.public_id for r in results)  # a citizen's copy still verifies
        assert not any(get_storage().exists(k) for k in result_keys)
        mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.dossier_id == dossier.id)).all()
        assert mails and all((m.recipient, m.subject, m.body, m.context) == ("", "", "", {}) for m in mails)
        rating = db.session.scalar(select(SatisfactionRating).where(SatisfactionRating.dossier_id == dossier.id))
        assert (rating.score, rating.comment) == (4, "")
        recent_mails = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.dossier_id == get(recent).id)).all()
        assert recent_mails and all(m.body for m in recent_mails)  # not due: untouched
        assert get(recent).data and get(recent).attachments
        last = db.session.scalar(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id)
                                 .order_by(DossierEvent.id.desc()).limit(1))
        assert last.action == "anonymise" and last.payload["attachments_deleted"] == 1
        assert counts.stored() == stats_before
        assert [(r.code, r.status, r.applicant) for r in
                db.session.scalars(select(PublicDossier))] == log_before
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    again = runner.invoke(args=["retention", "run"])
    assert "0 dossier(s)" in again.output


def test_a_procedure_without_a_period_uses_the_default_and_zero_keeps(app, world, clock):
    with app.app_context():
        code = returned_dossier(world, clock, at(2020, 3, 3, 9))
    app.config["RETENTION_MONTHS"] = 0
    try:
        assert "0 dossier(s)" in app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"]).output
    finally:
        app.config["RETENTION_MONTHS"] = 60
    assert f"would anonymise {code}" in app.test_cli_runner().invoke(
        args=["retention", "run", "--dry-run"]).output


def test_the_retention_period_is_a_definition_key(app, tmp_path):
    from tests.factories import UnitFactory

    with app.app_context():
        unit = UnitFactory()
        db.session.commit()
        unit_code = unit.code
    definition = json.loads(open("forms_schema/1.004873-cap-giay-xac-nhan-tinh-trang-hon-nhan.json",
                                 encoding="utf-8").read())
    definition["retention_months"] = 36
    path = tmp_path / "d.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["procedures", "import", str(path), "--unit", unit_code])
    assert result.exit_code == 0, result.output
    exported = runner.invoke(args=["procedures", "export", definition["code"]])
    assert json.loads(exported.output)["retention_months"] == 36
