"""Registers every domain's JSON API under /api/v1."""
from __future__ import annotations

from flask import current_app
from flask_appbuilder.api.manager import OpenApi

from app.dossiers.api import DossierApi
from app.dossiers.counter_api import CounterApi
from app.dossiers.documents_api import DocumentPublicApi
from app.dossiers.public_api import LookupApi
from app.payments.api import PaymentApi
from app.procedures.api import ProcedureApi
from app.transparency.api import TransparencyApi
from app.units.api import UnitApi


def register_apis(appbuilder) -> None:
    for api in (UnitApi, ProcedureApi, DossierApi, CounterApi, LookupApi, PaymentApi, DocumentPublicApi,
                TransparencyApi):
        appbuilder.add_api(api)
    if not current_app.config.get("FAB_API_SWAGGER_UI"):
        # FAB drops the OpenAPI document with the Swagger UI; the document stays public.
        appbuilder.add_api(OpenApi)
