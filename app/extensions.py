"""Extension singletons; create_app() binds them to an application."""
from __future__ import annotations

from flask_appbuilder.models.sqla import Base
from flask_appbuilder.models.sqla.base import SQLA
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_mail import Mail
from flask_migrate import Migrate
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

# One metadata for FAB's security tables and ours (FAB_NOTES 1).
db = SQLA(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
talisman = Talisman()
