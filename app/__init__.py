"""MotCua: the one-stop portal for online public services."""
from __future__ import annotations

import importlib
import logging
import sys

from flask import Flask

from config import get_config


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application: configure, then wire extensions, views and commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.strict_slashes = False  # /api/v1/dossiers and /api/v1/dossiers/ alike
    app.config.from_object(get_config(config_name))
    app.config.update(overrides)
    from app.security.passwords import validate_password

    # FAB calls this for every password it sets (user forms, reset, API).
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", validate_password)

    from app.core.startup import check_startup

    check_startup(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the singletons; FAB is created here, inside an app context (FAB_NOTES 3-4)."""
    from flask_appbuilder import AppBuilder

    from app.extensions import csrf, db, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())))
    csrf.init_app(app)
    mail.init_app(app)
    with app.app_context():
        from app.core.sqlite import make_sqlite_transactional

        make_sqlite_transactional(db.engine)
        importlib.import_module("app.models")  # every model before AppBuilder

        appbuilder = AppBuilder(update_perms=False)
        appbuilder.init_app(app, db.session)
        from app.admin import register_admin_views
        from app.api import register_apis

        register_admin_views(appbuilder)
        register_apis(appbuilder)
        appbuilder.post_init()
        from app.units.operations import wire_unit_resolver

        wire_unit_resolver(app)


def register_blueprints(app: Flask) -> None:
    """Portal pages outside FAB."""
    from flask_babel import get_locale

    from app.portal.views import bp as portal_bp

    app.register_blueprint(portal_bp)
    from app.portal.blueprints import register_citizen_portal

    register_citizen_portal(app)
    from app.backoffice.views import register as register_backoffice

    register_backoffice(app)
    from app.procedures.views import files_bp as procedure_files_bp

    app.register_blueprint(procedure_files_bp)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "vi")


def register_errorhandlers(app: Flask) -> None:
    from app.core.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from app.commands import register

    register(app)


def _migrations_dir() -> str:
    from config import BASE_DIR

    return str(BASE_DIR / "migrations")


def configure_logging() -> None:
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
