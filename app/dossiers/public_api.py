"""/api/v1/lookup — public, rate-limited dossier status by code and phone digits."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose
from flask_babel import gettext as _

from app.core.api import RestApi, error_response, ok
from app.core.locale import current_locale
from app.dossiers.lookup import LOOKUP_SCOPE, CodeLocked, lookup_dossier, lookup_limit, public_status
from app.extensions import limiter


class LookupApi(RestApi):
    """Anyone may ask; the answer holds no personal data."""

    resource_name = "lookup"
    openapi_spec_tag = "Lookup"

    @expose("/", methods=["GET"])
    @limiter.shared_limit(lookup_limit, scope=LOOKUP_SCOPE)
    def lookup(self):
        """Public status of a dossier: ?code=…&phone4=… (last 4 digits of the contact phone).
        ---
        get:
          parameters:
          - {in: query, name: code, required: true, schema: {type: string, minLength: 1, maxLength: 50, pattern: '\\S'}}
          - {in: query, name: phone4, required: true, schema: {type: string, pattern: '^[0-9]{4}$'}}
          responses:
            200: {description: Public status}
            404: {description: No dossier with this code and phone}
            429: {description: Too many requests}
        """
        code, phone4 = request.args.get("code", ""), request.args.get("phone4", "")
        errors = []
        if not code.strip():
            errors.append({"path": "/code", "message": _("Enter the dossier code.")})
        if not (phone4.isdigit() and len(phone4) == 4):
            errors.append({"path": "/phone4", "message": _("Enter the last 4 digits of the phone number.")})
        if errors:
            return error_response(422, _("Some of the information is not valid."), errors)
        try:
            dossier = lookup_dossier(code, phone4)
        except CodeLocked as exc:
            return error_response(429, str(exc.description))
        if dossier is None:
            return error_response(404, _("No dossier matches this code and phone number."))
        return ok(public_status(dossier, current_locale()))
