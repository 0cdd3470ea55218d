"""Public JSON API of administrative units."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose

from app.core.api import RestApi, ok
from app.units.models import AdministrativeUnit
from app.units.operations import search_units


def unit_json(unit: AdministrativeUnit) -> dict:
    return {"code": unit.code, "name": unit.name, "level": unit.level,
            "parent_code": unit.parent.code if unit.parent else None}


class UnitApi(RestApi):
    """GET /api/v1/units?q=&parent= — anyone."""

    resource_name = "units"
    openapi_spec_tag = "Units"

    @expose("/", methods=["GET"])
    def list(self):
        """List units: provinces by default, the children of `parent`, or those matching `q`.
        ---
        get:
          parameters:
          - {in: query, name: q, schema: {type: string}}
          - {in: query, name: parent, schema: {type: string}}
          responses:
            200: {description: Units}
        """
        units = search_units(request.args.get("q"), request.args.get("parent"))
        return ok({"result": [unit_json(u) for u in units], "count": len(units)})
