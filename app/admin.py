"""Registers every domain's FAB admin views under the menu."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.admin_tools.menu import register as register_admin_tools
from app.dossiers.views import DossierEventModelView, DossierModelView
from app.procedures.views import (
    FieldModelView,
    ProcedureModelView,
    ProcedureVersionModelView,
    UnitProcedureModelView,
)
from app.security.views import UserUnitModelView
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
    register_admin_tools(appbuilder)
