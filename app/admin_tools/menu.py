"""Menu entries of the administrator's screens (Admin role only: no other role is granted them)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


def register(appbuilder) -> None:
    """Add the low-code administration views under one menu category."""
    from app.admin_tools.editor import ProcedureEditorView
    from app.admin_tools.units_pages import OfferingAdminView

    menu = dict(category="Administration", category_label=_l("Administration"),
                category_icon="fa-screwdriver-wrench")
    appbuilder.add_view(ProcedureEditorView, "Procedure editor", label=_l("Procedure editor"),
                        icon="fa-pen-ruler", **menu)
    appbuilder.add_view(OfferingAdminView, "Load units", label=_l("Load units"),
                        icon="fa-sitemap", **menu)
