"""MotCua's FAB security manager: shared limiter, OIDC hook, profile links."""
from __future__ import annotations

from flask import Flask
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_limiter import Limiter

from app.extensions import limiter


class MotCuaSecurityManager(SecurityManager):
    """FAB's SQLA security manager with MotCua's extensions."""

    # FAB's chart of users by attribute: nothing an office needs, and it answers 500 to a
    # malformed URL. The staff list (/admin/staff/) is where administrators see accounts.
    userstatschartview = None

    def create_limiter(self, app: Flask) -> Limiter:
        """Use the application's one limiter so FAB's and ours share storage."""
        limiter.init_app(app)
        return limiter
