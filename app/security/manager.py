"""MotCua's FAB security manager: shared limiter, OIDC hook, profile links."""
from __future__ import annotations

from flask import Flask
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_limiter import Limiter

from app.extensions import limiter


class MotCuaSecurityManager(SecurityManager):
    """FAB's SQLA security manager with MotCua's extensions."""

    def create_limiter(self, app: Flask) -> Limiter:
        """Use the application's one limiter so FAB's and ours share storage."""
        limiter.init_app(app)
        return limiter
