"""factory-boy factories bound to the app's session; use them inside an app context."""
from __future__ import annotations

import factory
from flask import current_app
from werkzeug.security import generate_password_hash

from app.core.types import fold_vietnamese, utcnow
from app.dossiers.codes import next_dossier_code
from app.dossiers.history import record_event
from app.dossiers.models import Dossier
from app.extensions import db
from app.procedures.models import Field, Procedure, ProcedureVersion, UnitProcedure
from app.security.models import UserProfile, UserUnit
from app.units.models import AdministrativeUnit

PASSWORD = "Test@12345x"
PASSWORD_HASH = generate_password_hash(PASSWORD)  # hashed once: hashing is slow on purpose
SIMPLE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {"full_name": {"type": "string", "title": "Họ và tên", "maxLength": 100}},
    "required": ["full_name"],
    "additionalProperties": False,
}


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UnitFactory(BaseFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"{90000 + n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    search_name = factory.LazyAttribute(lambda o: fold_vietnamese(o.name))
    level = "commune"
    division_type = "xã"
    active = True


class ProvinceFactory(UnitFactory):
    code = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    level = "province"
    division_type = "tỉnh"


class FieldFactory(BaseFactory):
    class Meta:
        model = Field
        sqlalchemy_get_or_create = ("name",)

    name = "Hộ tịch"


class ProcedureFactory(BaseFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm {n}")
    search_name = factory.LazyAttribute(lambda o: fold_vietnamese(f"{o.code} {o.name}"))
    field = factory.SubFactory(FieldFactory)
    tier = "commune"
    level = 4
    processing_days = 3
    fee = 0
    delivery_methods = ["office", "post", "online"]

    @factory.post_generation
    def published_version(self, create, extracted, **kwargs):
        """Give the procedure a published v1 unless published_version=False."""
        if extracted is False:
            return
        version = ProcedureVersion(procedure=self, number=1, schema=kwargs.get("schema", SIMPLE_SCHEMA),
                                   ui_schema={}, required_documents=[], published_at=utcnow())
        db.session.add(version)
        db.session.commit()


class OfferingFactory(BaseFactory):
    class Meta:
        model = UnitProcedure

    unit = factory.SubFactory(UnitFactory)
    procedure = factory.SubFactory(ProcedureFactory)
    active = True


def create_user(username: str, role: str, units: list[AdministrativeUnit] = (),
                phone: str = "0912345678"):
    """A FAB user with one role, bound to officer units, with a profile."""
    sm = current_app.appbuilder.sm
    user = sm.user_model(
        username=username, first_name=username.title(), last_name="Test",
        email=f"{username}@example.test", active=True,
        password=PASSWORD_HASH, roles=[sm.find_role(role)],
    )
    db.session.add(user)
    db.session.flush()
    for unit in units:
        db.session.add(UserUnit(user_id=user.id, unit_id=unit.id))
    db.session.add(UserProfile(user_id=user.id, phone=phone))
    db.session.commit()
    return user


def create_dossier(applicant, unit: AdministrativeUnit, procedure: Procedure | None = None,
                   status: str = "submitted", data: dict | None = None, commit: bool = True) -> Dossier:
    """A dossier in the given status, with its creation event."""
    if procedure is None:
        procedure = OfferingFactory(unit=unit).procedure
    now = utcnow()
    dossier = Dossier(
        code=next_dossier_code(unit.code, now), procedure=procedure,
        procedure_version=procedure.current_version, unit=unit,
        applicant_id=applicant.id if applicant else None, contact_phone="0912345678",
        contact_email="citizen@example.test", data=data or {"full_name": "Nguyễn Văn A"},
        status=status, submitted_at=now if status != "draft" else None, created_at=now,
    )
    db.session.add(dossier)
    db.session.flush()
    record_event(dossier, "create", dossier.applicant_id, status_before=None, status_after=status)
    if commit:
        db.session.commit()
    return dossier
