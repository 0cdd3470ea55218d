"""URL rules of the payment pages in one place."""
from __future__ import annotations

from flask import Blueprint, Flask

from app.payments import effects as _effects  # noqa: F401 - registers the table's payment steps
from app.payments import sandbox, views

bp = Blueprint("payments", __name__, template_folder="templates")
bp.add_url_rule("/payments/vnpay/ipn", "ipn", views.ipn)
bp.add_url_rule("/payments/return", "returned", views.returned)
bp.add_url_rule("/my/dossiers/<code>/pay", "pay", views.pay, methods=["POST"])
bp.add_url_rule("/payments/<txn_ref>/receipt.pdf", "receipt", views.receipt)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    if (app.config.get("PAYMENT_GATEWAY") or "sandbox") == "sandbox":
        app.register_blueprint(sandbox.bp)
