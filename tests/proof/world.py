"""One small province with two communes, every role, and citizen A's dossiers at commune X in the
states the routes need: a paid, approved marital-status certificate with its signed result and
receipt, and a draft with an attachment. Built once per module through the real doors."""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

from sqlalchemy import select

from app.dossiers.models import Attachment, Dossier, ResultDocument
from app.extensions import db
from app.notifications.texts import NotificationTemplate
from app.payments.models import Payment
from app.procedures.definitions import load_file
from app.procedures.fees import FeeSetting
from app.procedures.models import ProcedureTemplate
from app.procedures.operations import import_definition
from tests.factories import ProvinceFactory, UnitFactory, create_user
from tests.helpers import auth, officer_post, result_pdf, web_login
from tests.payments.conftest import BIRTH, MARITAL, MARITAL_FEE, create, marital_data, pay_at_bank, start
from tests.portal.data import pdf_bytes, upload

ROLES = ("anon", "citizen", "citizen2", "officer", "officer2", "auditor", "admin")


@dataclass
class World:
    unit: str  # commune X, officer's
    other_unit: str  # commune Y, officer2's
    procedure: str
    code: str  # A's approved dossier at X, with an attachment
    draft: str  # A's draft at X
    counter: str  # a walk-in's draft taken at X's counter
    attachment_id: int
    result_id: int
    public_id: str
    txn_ref: str
    template_id: int
    ids: dict = field(default_factory=dict)  # model name → a primary key of a row of it


def build(app, client) -> World:
    with app.app_context():
        province = ProvinceFactory(code="75", name="Tỉnh Đồng Nai", search_name="tinh dong nai")
        unit = UnitFactory(code="25279", name="Xã Lộc Tấn", search_name="xa loc tan", parent=province)
        other = UnitFactory(code="25280", name="Xã Lộc Thạnh", search_name="xa loc thanh", parent=province)
        marital = import_definition(load_file(MARITAL), [unit.code, other.code]).procedure
        import_definition(load_file(BIRTH), [unit.code, other.code])
        db.session.flush()
        db.session.add(FeeSetting(province_id=province.id, procedure_id=marital.id, fee=MARITAL_FEE))
        text = NotificationTemplate(event="received", channel="sms", body="Hồ sơ {code} đã được tiếp nhận.")
        db.session.add(text)
        db.session.commit()
        text_id = text.id
        create_user("citizen", "Citizen", phone="0912345678")
        create_user("citizen2", "Citizen", phone="0987654321")
        create_user("officer", "Officer", units=[unit])
        create_user("officer2", "Officer", units=[other])
        create_user("auditor", "Auditor")
        create_user("admin", "Admin")
        unit_code, other_code, procedure_code = unit.code, other.code, marital.code
    world = {"unit": unit_code, "marital": procedure_code}
    headers = auth(client, "citizen")
    code = create(client, headers, world, "marital", marital_data(), "online")
    attached = client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                           data={"document_key": "giay_xac_nhan_cu", "file": upload(pdf_bytes(), "giay.pdf")},
                           content_type="multipart/form-data")
    pay_at_bank(client, start(client, headers, code).get_json()["redirect_url"])
    assert client.post(f"/api/v1/dossiers/{code}/submit", headers=headers).status_code == 200
    draft = create(client, headers, world, "marital", marital_data(), "office")
    walk_in = client.post("/api/v1/counter/dossiers", headers=auth(client, "officer"), json={
        "procedure": procedure_code, "unit": unit_code, "data": marital_data(),
        "applicant": {"name": "Lê Thị Hoa", "id_number": "075190001234", "phone": "0901234567"},
        "delivery": {"method": "office"}})
    assert walk_in.status_code == 201, walk_in.get_json()
    counter = walk_in.get_json()["code"]
    web_login(client, "officer")
    for action in ("receive", "process"):
        assert officer_post(client, code, {"action": action}).status_code == 302
    approved = officer_post(client, code, {"action": "approve",
                                           "result_file": (io.BytesIO(result_pdf()), "ket-qua.pdf")},
                            content_type="multipart/form-data")
    assert approved.status_code == 302
    client.post("/account/logout")
    web_login(client, "admin")
    added = client.post(f"/admin/procedure-editor/{procedure_code}/templates",
                        data={"title": "Mẫu tờ khai", "file": upload(pdf_bytes(), "mau-to-khai.pdf")},
                        content_type="multipart/form-data")
    assert added.status_code == 302, added.get_data(as_text=True)[:300]
    client.post("/account/logout")
    with app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        result = db.session.scalar(select(ResultDocument).where(ResultDocument.dossier_id == dossier.id))
        payment = db.session.scalar(select(Payment).where(Payment.dossier_id == dossier.id))
        attachment = db.session.scalar(select(Attachment).join(Dossier).where(Dossier.code == code))
        if attachment is None:
            raise AssertionError(f"no attachment: {attached.get_json()}")
        sm = app.appbuilder.sm
        template_id = db.session.scalar(select(ProcedureTemplate.id))
        ids = {"officer_id": sm.find_user(username="officer").id, "text_id": text_id}
        for mapper in db.Model.registry.mappers:
            cls = mapper.class_
            pk = mapper.primary_key
            first = db.session.execute(select(*pk).order_by(*pk).limit(1)).first()
            if first is not None:
                # FAB names a row of a composite key by the JSON list of its columns.
                ids[cls.__name__] = first[0] if len(pk) == 1 else json.dumps(list(first), default=str)
        return World(unit_code, other_code, procedure_code, code, draft, counter, attachment.id, result.id,
                     result.public_id, payment.txn_ref, template_id, ids)
