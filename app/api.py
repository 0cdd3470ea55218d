"""Registers every domain's JSON API under /api/v1."""
from __future__ import annotations


def register_apis(appbuilder) -> None:
    from app.dossiers.api import DossierApi
    from app.portal.api import LookupApi
    from app.procedures.api import ProcedureApi
    from app.units.api import UnitApi

    for api in (UnitApi, ProcedureApi, DossierApi, LookupApi):
        appbuilder.add_api(api)
