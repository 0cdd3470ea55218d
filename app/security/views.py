"""Admin view binding officers to units."""
from __future__ import annotations

from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.core.audit import AuditedViewMixin
from app.security.models import UserUnit


class UserUnitModelView(AuditedViewMixin, ModelView):
    datamodel = SQLAInterface(UserUnit)
    class_permission_name = "UserUnit"
    method_permission_name = {
        "list": "read", "show": "read", "add": "write", "edit": "write", "delete": "write",
    }
    list_title = _l("Officer units")
    list_columns = add_columns = edit_columns = show_columns = ["user", "unit"]
    search_columns = ["user", "unit"]
    label_columns = {"user": _l("User"), "unit": _l("Unit")}
