"""/api/v1/counter — walk-in dossiers (officers of the unit) and claiming them (citizens)."""
from __future__ import annotations

from flask import current_app, g
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect

from app.core.api import RestApi, body, handled, ok
from app.dossiers import counter, idempotency
from app.dossiers.schemas import SCHEMAS, parsed_body
from app.dossiers.serializers import dossier_summary
from app.extensions import limiter


def claim_limit() -> str:
    return current_app.config.get("CLAIM_RATE_LIMIT", "5 per minute; 20 per hour")


class CounterApi(RestApi):
    """The one-stop centre's counter: paper dossiers filed for walk-ins, claimed later."""

    resource_name = "counter"
    openapi_spec_tag = "Counter"
    class_permission_name = "Dossier"
    method_permission_name = {"create": "write", "claim": "write"}
    base_permissions = ["can_read", "can_write"]
    request_schemas = SCHEMAS

    @expose("/dossiers", methods=["POST"])
    @protect()
    @handled
    @body("CounterDossierCreate")
    def create(self):
        """A walk-in dossier (officer of the unit): a draft with channel "counter"; honours
        Idempotency-Key.

        Attach the scans through POST /dossiers/<code>/attachments, then take the action
        `receive` (allowed from draft for counter dossiers, with the submission checks).
        The Idempotency-Key is the officer's own: the same officer sending the same key and
        body again gets the dossier created the first time (200, whatever its status now).
        ---
        post:
          parameters:
          - {in: header, name: Idempotency-Key, schema: {type: string, maxLength: 100}, description: "makes a retried create safe: the same key and body answer the first dossier"}
          responses:
            201: {description: Created}
            200: {description: The dossier created earlier by this officer with the same Idempotency-Key and the same body}
            403: {description: Not an officer of this unit}
            422: {description: Field errors, or an Idempotency-Key already used with a different body}
            503: {description: The database is unavailable; retry after Retry-After seconds with the same Idempotency-Key}
        """
        counter.ensure_counter_staff(g.user)
        payload = parsed_body("CounterDossierCreate")
        applicant, delivery = payload.get("applicant") or {}, payload.get("delivery") or {}
        dossier, created = counter.create_counter_dossier(g.user, counter.WalkIn(
            procedure_code=payload["procedure"], unit_code=payload["unit"],
            name=applicant.get("name") or "", id_number=applicant.get("id_number") or "",
            phone=applicant.get("phone") or "", email=applicant.get("email") or "",
            data=payload.get("data") or {}, delivery_method=delivery.get("method") or "office",
            delivery_address=delivery.get("address") or {},
            idempotency_key=idempotency.request_key()))
        return ok({"code": dossier.code, "status": dossier.status, "channel": dossier.channel},
                  201 if created else 200)

    @expose("/claim", methods=["POST"])
    @limiter.limit(claim_limit)
    @protect()
    @handled
    @body("CounterClaim")
    def claim(self):
        """Take a dossier filed at the counter into your account, with its code and phone number.

        Whatever does not match answers the same 404, so codes cannot be probed.
        ---
        post:
          responses:
            200: {description: The dossier is now yours}
            404: {description: No unclaimed counter dossier with this code and phone}
            429: {description: Too many attempts}
        """
        counter.ensure_may_claim(g.user)
        payload = parsed_body("CounterClaim")
        dossier = counter.claim_dossier(g.user, payload["code"], payload["phone"])
        return ok(dossier_summary(dossier))
