"""Registers every domain's FAB admin views under the menu."""
from __future__ import annotations

import json

from flask import abort, request
from flask_appbuilder.baseviews import BaseCRUDView
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer

from app.admin_tools.menu import register as register_admin_tools
from app.dossiers.views import DossierEventModelView, DossierModelView
from app.procedures.views import (
    FieldModelView,
    ProcedureModelView,
    ProcedureVersionModelView,
    UnitProcedureModelView,
)
from app.security.views import CitizenAccountModelView, UserUnitModelView
from app.units.views import UnitModelView


def register_admin_views(appbuilder) -> None:
    catalogue = dict(category="Catalogue", category_label=_l("Catalogue"), category_icon="fa-book")
    appbuilder.add_view(UnitModelView, "Administrative units", label=_l("Administrative units"),
                        icon="fa-sitemap", **catalogue)
    appbuilder.add_view(FieldModelView, "Fields", label=_l("Fields"), icon="fa-tags", **catalogue)
    appbuilder.add_view(ProcedureModelView, "Procedures", label=_l("Procedures"),
                        icon="fa-file-lines", **catalogue)
    appbuilder.add_view(ProcedureVersionModelView, "Procedure versions",
                        label=_l("Procedure versions"), icon="fa-code-branch", **catalogue)
    appbuilder.add_view(UnitProcedureModelView, "Unit offerings", label=_l("Unit offerings"),
                        icon="fa-link", **catalogue)
    dossiers = dict(category="Dossiers", category_label=_l("Dossiers"), category_icon="fa-folder-open")
    appbuilder.add_view(DossierModelView, "All dossiers", label=_l("All dossiers"),
                        icon="fa-folder", **dossiers)
    appbuilder.add_view(DossierEventModelView, "Dossier history", label=_l("Dossier history"),
                        icon="fa-clock-rotate-left", **dossiers)
    appbuilder.add_view(UserUnitModelView, "Officer units", label=_l("Officer units"),
                        icon="fa-user-tie", category="Security")
    appbuilder.add_view(CitizenAccountModelView, "Citizen accounts", label=_l("Citizen accounts"),
                        icon="fa-users", category="Security")
    register_admin_tools(appbuilder)


def guard_model_view_routes(app, appbuilder) -> None:
    """FAB answers 500 to some URLs anyone can type: an action name the view does not have
    (before it even checks permissions) and a primary key that is not one of the view's. Those
    name nothing, so they are answered 404 here, before FAB sees them."""
    views = {type(view).__name__: view for view in appbuilder.baseviews
             if isinstance(view, BaseCRUDView)}

    @app.before_request
    def _unknown_model_view_targets():
        endpoint, args = request.endpoint or "", request.view_args or {}
        view = views.get(endpoint.split(".")[0])
        if view is None:
            return None
        if endpoint.endswith(".action_post") and request.form.get("action") not in view.actions:
            abort(404)
        if not args:
            return None
        if endpoint.endswith(".action") and args.get("name") not in view.actions:
            abort(404)
        datamodel = getattr(view, "datamodel", None)
        if "pk" in args and datamodel is not None and not _is_pk_of(datamodel, args["pk"]):
            abort(404)
        return None


def _is_pk_of(datamodel, raw: str) -> bool:
    """Whether a URL's pk can name a row: a number for single keys, FAB's JSON list for composite."""
    columns = datamodel.obj.__mapper__.primary_key
    if len(columns) == 1:
        return not isinstance(columns[0].type, Integer) or (raw.isdigit() and len(raw) < 10)
    try:
        values = json.loads(raw)
    except ValueError:
        return False
    return isinstance(values, list) and len(values) == len(columns) and all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**31 for v in values)
