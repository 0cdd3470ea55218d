"""Registers every domain's JSON API under /api/v1."""
from __future__ import annotations

from app.dossiers.api import DossierApi
from app.dossiers.public_api import LookupApi
from app.procedures.api import ProcedureApi
from app.units.api import UnitApi


def register_apis(appbuilder) -> None:
    for api in (UnitApi, ProcedureApi, DossierApi, LookupApi):
        appbuilder.add_api(api)
