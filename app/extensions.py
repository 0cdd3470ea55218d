"""Extension singletons; create_app() binds them to an application."""
from __future__ import annotations

from flask import Flask
from flask_appbuilder.models.sqla import Base
from flask_appbuilder.models.sqla.base import SQLA
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mail import Mail
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

# One metadata for FAB's security tables and ours (FAB_NOTES 1).
db = SQLA(model_class=Base)
csrf = CSRFProtect()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
talisman = Talisman()


def init_migrate(app: Flask) -> None:
    """Bind Flask-Migrate to the app, for `flask db …` and `flask_migrate.upgrade()`.

    Not done by create_app: Flask-Migrate imports Alembic, Mako and Pygments (≈ 10 MB), which
    every web worker would keep without ever migrating. The `db` command calls this when it
    runs (app/commands.py); code that migrates in-process calls it first."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    from config import BASE_DIR

    Migrate(app, db, directory=str(BASE_DIR / "migrations"))
