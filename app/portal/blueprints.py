"""Registers the citizen portal's other blueprints: accounts (with OIDC) and filing."""
from __future__ import annotations

from flask import Flask


def register_citizen_portal(app: Flask) -> None:
    from app.accounts.oidc import init_oidc
    from app.accounts.views import bp as accounts_bp
    from app.filing import tracking, wizard  # noqa: F401 - their routes join the filing blueprint
    from app.filing.common import bp as filing_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(filing_bp)
    init_oidc(app)
