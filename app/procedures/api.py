"""Public JSON API of the procedure catalogue."""
from __future__ import annotations

import math

from flask import request
from flask_appbuilder.api import expose
from flask_babel import gettext as _

from app.core.api import RestApi, error_response, ok, page_args
from app.procedures.catalogue import ProcedureSummary, catalogue
from app.procedures.models import Procedure
from app.procedures.operations import get_procedure


def procedure_summary(p: ProcedureSummary) -> dict:
    return {
        "code": p.code, "name": p.name, "name_en": p.name_en, "field": p.field, "tier": p.tier,
        "level": p.level,
        "online_kind": p.online_kind, "processing_days": p.processing_days, "fee": p.fee,
    }


def procedure_detail(p: Procedure) -> dict:
    data = procedure_summary(ProcedureSummary.of(p))
    version = p.current_version
    data.update({
        "verification_days": p.verification_days, "fee_note": p.fee_note, "agency": p.agency,
        "result": p.result, "steps": p.steps, "legal_basis": p.legal_basis,
        "delivery_methods": p.delivery_methods, "linked_procedures": p.linked_procedures,
        "version": version.number if version else None,
        "schema": version.schema if version else None,
        "ui_schema": version.ui_schema if version else None,
        "required_documents": version.required_documents if version else [],
    })
    return data


class ProcedureApi(RestApi):
    """GET /api/v1/procedures and /api/v1/procedures/<code> — anyone."""

    resource_name = "procedures"
    openapi_spec_tag = "Procedures"

    @expose("/", methods=["GET"])
    def list(self):
        """The catalogue; `q` matches with or without Vietnamese diacritics.
        ---
        get:
          parameters:
          - {in: query, name: unit, schema: {type: string}}
          - {in: query, name: q, schema: {type: string}}
          - {in: query, name: field, schema: {type: string}}
          - {in: query, name: level, schema: {type: integer, minimum: 1, maximum: 4}}
          - {in: query, name: tier, schema: {type: string}, description: "commune, province or central"}
          - {in: query, name: page, schema: {type: integer, minimum: 1, maximum: 1000000}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            200: {description: Procedures}
        """
        level = request.args.get("level")
        if level and not (level.isdigit() and 1 <= int(level) <= 4):
            return error_response(400, _("level must be a number from 1 to 4."))
        page, size = page_args(50)
        items, total = catalogue(request.args.get("unit"), request.args.get("q"),
                                 request.args.get("field"), int(level) if level else None,
                                 request.args.get("tier"), page, size)
        return ok({"result": [procedure_summary(p) for p in items], "page": page,
                   "pages": math.ceil(total / size), "count": total})

    @expose("/<code>", methods=["GET"])
    def get(self, code: str):
        """One procedure with its published form version.
        ---
        get:
          parameters:
          - {in: path, name: code, required: true, schema: {type: string}}
          responses:
            200: {description: The procedure}
            404: {description: Not found}
        """
        procedure = get_procedure(code)
        if procedure is None or not procedure.active:
            return error_response(404, _("Procedure not found."))
        return ok(procedure_detail(procedure))
