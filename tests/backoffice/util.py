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


def new_dossier(world, status: str = "submitted", owner: str = "citizen", commit: bool = True,
                **fields) -> Dossier:
    unit = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == world.unit_code))
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == world.procedure_code))
    dossier = create_dossier(user(owner), unit, procedure=procedure, status=status, commit=commit)
    for key, value in fields.items():
        setattr(dossier, key, value)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return dossier


def get(code: str, expire: bool = True) -> Dossier:
    """The dossier as stored (`expire=False` inside a transaction that will be rolled back)."""
    if expire:
        db.session.expire_all()
    return db.session.scalar(select(Dossier).where(Dossier.code == code).execution_options(
        populate_existing=True))


def act(actor, dossier, action: str, **params) -> Dossier:
    """Take an action through the gate and commit, as a request or command would."""
    from app.dossiers.operations import perform_action

    perform_action(actor, dossier, action, **params)
    db.session.commit()
    return dossier
