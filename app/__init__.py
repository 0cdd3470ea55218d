"""MotCua: the one-stop portal for online public services."""
from __future__ import annotations

import logging
import sys

from flask import Flask

from config import get_config


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application: configure, then wire extensions, views and commands."""
    from app.core.badinput import register_converters
    from app.core.startup import check_startup, trust_proxies
    from app.security.passwords import validate_password

    app = Flask(__name__, instance_relative_config=True)
    app.url_map.strict_slashes = False  # /api/v1/dossiers and /api/v1/dossiers/ alike
    register_converters(app)
    app.config.from_object(get_config(config_name))
    app.config.update(overrides)
    # FAB calls this for every password it sets (user forms, reset, API).
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", validate_password)
    check_startup(app)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    check_lifecycle()
    return app


def check_lifecycle() -> None:
    """Every guard and effect the dossier table names is registered (by now, all are imported)."""
    from app.dossiers.lifecycle import missing_steps

    missing = missing_steps()
    if missing:
        raise RuntimeError("dossier lifecycle: unregistered " + ", ".join(missing))


def register_extensions(app: Flask) -> None:
    """Bind the singletons; FAB is created here, inside an app context (FAB_NOTES 3-4)."""
    from flask_appbuilder import AppBuilder

    from app import models  # noqa: F401 - every model before AppBuilder
    from app.core import headers, uow
    from app.core.sqlite import make_sqlite_transactional
    from app.extensions import csrf, db, mail
    from app.units.operations import wire_unit_resolver

    db.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    uow.init_app(app)
    headers.register(app)
    with app.app_context():
        make_sqlite_transactional(db.engine)
        appbuilder = AppBuilder(update_perms=False)
        appbuilder.init_app(app, db.session)
        from app.core.locale import select_locale

        app.extensions["babel"].locale_selector = select_locale  # FAB's writes the session
        # Views after FAB's security models exist (SQLAInterface configures the mappers).
        from app.admin import guard_model_view_routes, register_admin_views
        from app.api import register_apis

        register_admin_views(appbuilder)
        register_apis(appbuilder)
        appbuilder.post_init()
        guard_model_view_routes(app, appbuilder)
        wire_unit_resolver(app)


def register_blueprints(app: Flask) -> None:
    """Portal, accounts, dossier and catalogue pages outside FAB."""
    from app.accounts.oidc import init_oidc
    from app.accounts.views import bp as accounts_bp
    from app.core import templating
    from app.dossiers import blueprint as dossiers
    from app.payments import blueprint as payments
    from app.portal.views import bp as portal_bp
    from app.procedures.views import files_bp as procedure_files_bp
    from app.transparency import blueprint as transparency

    app.register_blueprint(portal_bp)
    app.register_blueprint(accounts_bp)
    init_oidc(app)
    dossiers.register(app)
    payments.register(app)
    transparency.register(app)
    app.register_blueprint(procedure_files_bp)
    templating.register(app)


def register_errorhandlers(app: Flask) -> None:
    from app.core import badinput
    from app.core.errors import register

    register(app)
    badinput.register(app)


def register_commands(app: Flask) -> None:
    from app.commands import register

    register(app)


def configure_logging() -> None:
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
