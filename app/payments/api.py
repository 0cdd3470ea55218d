"""/api/v1/dossiers/<code>/payments (CONTRACT.md): the owner starts paying what is due."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import gettext as _

from app.core.api import ApiError, RestApi, handled, iso, ok
from app.core.locale import current_locale
from app.dossiers.filters import get_visible_dossier
from app.payments.operations import start_payment
from app.payments.views import attempts


def _payment_json(payment) -> dict:
    return {"payment_id": payment.txn_ref, "amount": payment.amount, "state": payment.state,
            "gateway": payment.gateway, "created_at": iso(payment.created_at),
            "expires_at": iso(payment.expires_at), "paid_at": iso(payment.paid_at),
            "transaction": payment.gateway_ref, "receipt_number": payment.receipt_number}


class PaymentApi(RestApi):
    """Payments of a dossier; the gateway's IPN, not this API, confirms them."""

    resource_name = "dossiers"
    openapi_spec_tag = "Payments"
    class_permission_name = "Dossier"
    method_permission_name = {"start": "write", "payments": "read"}
    base_permissions = ["can_read", "can_write"]

    @expose("/<code>/payments", methods=["POST"])
    @protect()
    @handled
    def start(self, code: str):
        """Start paying what is due now (owner): the gateway URL to send the browser to.
        ---
        post:
          responses:
            201: {description: '{"payment_id", "amount", "items", "redirect_url"}'}
            404: {description: Not found}
            409: {description: Nothing is due now}
        """
        dossier = get_visible_dossier(g.user, code)
        if dossier is None:
            raise ApiError(404, _("Dossier not found."))
        payment, url = start_payment(g.user, dossier, ip=request.remote_addr or "",
                                     locale=current_locale())
        return ok({"payment_id": payment.txn_ref, "amount": payment.amount,
                   "items": payment.items, "redirect_url": url,
                   "expires_at": iso(payment.expires_at)}, 201)

    @expose("/<code>/payments", methods=["GET"])
    @protect()
    @handled
    def payments(self, code: str):
        """The dossier's payment attempts (whoever may see the dossier).
        ---
        get:
          responses:
            200: {description: Attempts}
            404: {description: Not found}
        """
        dossier = get_visible_dossier(g.user, code)
        if dossier is None:
            raise ApiError(404, _("Dossier not found."))
        return ok({"result": [_payment_json(p) for p in attempts(dossier)]})
