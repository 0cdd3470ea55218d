"""Helpers shared by the back-office tests (use inside an app context)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db
from app.procedures.models import Procedure
from app.units.models import AdministrativeUnit
from tests.factories import create_dossier


def user(name: str):
    sm = current_app.appbuilder.sm
    return sm.find_user(username=name)


def new_dossier(world, status: str = "submitted", owner: str = "citizen", **fields) -> Dossier:
    unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == world.unit_code))
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == world.procedure_code))
    dossier = create_dossier(user(owner), unit, procedure=procedure, status=status)
    for key, value in fields.items():
        setattr(dossier, key, value)
    db.session.commit()
    return dossier


def get(code: str) -> Dossier:
    db.session.expire_all()
    return db.session.scalar(select(Dossier).where(Dossier.code == code))
