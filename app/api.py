"""Registers every domain's JSON API under /api/v1."""
from __future__ import annotations

from app.dossiers.api import DossierApi
from app.dossiers.counter_api import CounterApi
from app.dossiers.documents_api import DocumentPublicApi
from app.dossiers.public_api import LookupApi
from app.payments.api import PaymentApi
from app.procedures.api import ProcedureApi
from app.units.api import UnitApi


def register_apis(appbuilder) -> None:
    for api in (UnitApi, ProcedureApi, DossierApi, CounterApi, LookupApi, PaymentApi, DocumentPublicApi):
        appbuilder.add_api(api)
