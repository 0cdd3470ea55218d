"""Menu entries of the administrator's screens (Admin role only: no other role is granted them)."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.admin_tools.editor import ProcedureEditorView
from app.admin_tools.fees_pages import FeeSettingsView
from app.admin_tools.settings_pages import CalendarAdminView, NotificationTextView
from app.admin_tools.signing_pages import SigningCertificateView
from app.admin_tools.units_pages import OfferingAdminView
from app.admin_tools.users_pages import AdminAuditModelView, StaffAdminView
from app.core.audit import action_label, object_label
from app.core.columns import moment
from app.security.roles import roles_text


def register(appbuilder) -> None:
    """Add the low-code administration views under one menu category."""
    app = current_app
    for name, fn in (("roles_text", roles_text), ("audit_action", action_label),
                     ("audit_object", object_label), ("moment", moment)):
        app.add_template_filter(fn, name)
    menu = dict(category="Administration", category_label=_l("Administration"),
                category_icon="fa-screwdriver-wrench")
    appbuilder.add_view(ProcedureEditorView, "Procedure editor", label=_l("Procedure editor"),
                        icon="fa-pen-ruler", **menu)
    appbuilder.add_view(OfferingAdminView, "Load units", label=_l("Load units"),
                        icon="fa-sitemap", **menu)
    appbuilder.add_view(NotificationTextView, "Notification texts", label=_l("Notification texts"),
                        icon="fa-envelope", **menu)
    appbuilder.add_view(CalendarAdminView, "Working calendar", label=_l("Working calendar"),
                        icon="fa-calendar-days", **menu)
    appbuilder.add_view(FeeSettingsView, "Fees and postal charges",
                        label=_l("Fees and postal charges"), icon="fa-money-bill", **menu)
    appbuilder.add_view(SigningCertificateView, "Signing certificates",
                        label=_l("Signing certificates"), icon="fa-certificate", **menu)
    appbuilder.add_view(StaffAdminView, "Staff accounts", label=_l("Staff accounts"),
                        icon="fa-users", **menu)
    appbuilder.add_view(AdminAuditModelView, "Administrative changes",
                        label=_l("Administrative changes"), icon="fa-list-check", **menu)
