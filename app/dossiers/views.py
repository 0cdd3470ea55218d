"""Admin (back-office) views of dossiers, scoped row by row to the user."""
from __future__ import annotations

from flask import g
from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.core.access import log_access
from app.core.columns import day, labelled, moment, money, or_dash, person, yes_no
from app.dossiers import lifecycle
from app.dossiers.errors import DossierError
from app.dossiers.filters import DossierChildScopeFilter, DossierScopeFilter
from app.dossiers.forms import DELIVERY_LABELS
from app.dossiers.models import Dossier, DossierEvent
from app.dossiers.operations import perform_action
from app.dossiers.status import PAYMENT_LABELS, status_label

DOSSIER_LABELS = {
    "code": _l("Dossier code"), "procedure": _l("Procedure"), "unit": _l("Unit"),
    "status": _l("Status"), "applicant": _l("Applicant"), "assignee": _l("Assigned to"),
    "submitted_at": _l("Submitted at"), "received_at": _l("Received at"),
    "due_date": _l("Due date"), "completed_at": _l("Completed at"), "on_time": _l("On time"),
    "contact_phone": _l("Phone"), "contact_email": _l("Email"),
    "delivery_method": _l("Result delivery"), "fee": _l("Fee (VND)"),
    "payment_status": _l("Payment"), "created_at": _l("Created at"), "dossier": _l("Dossier"),
    "actor": _l("Actor"), "action": _l("Action"), "status_before": _l("Status before"),
    "status_after": _l("Status after"), "note": _l("Note"), "public": _l("Visible to citizen"),
}


def _status(value) -> str:
    return status_label(value) if value else "—"


DOSSIER_FORMATTERS = {
    "status": _status, "status_before": _status, "status_after": _status,
    "applicant": person, "assignee": person, "actor": person,
    "created_at": moment, "submitted_at": moment, "received_at": moment, "completed_at": moment,
    "due_date": day, "on_time": yes_no, "public": yes_no, "fee": money,
    "delivery_method": labelled(DELIVERY_LABELS), "payment_status": labelled(PAYMENT_LABELS),
    "contact_email": or_dash, "contact_phone": or_dash, "note": or_dash,
    "action": lambda action: lifecycle.event_label(action) if action else "—",
}


class DossierModelView(ModelView):
    """Dossiers of the user's scope; only the assignee is editable here."""

    datamodel = SQLAInterface(Dossier)
    class_permission_name = "DossierAdmin"
    method_permission_name = {
        "list": "read", "show": "read", "download": "read", "edit": "write",
        "add": "never", "delete": "never", "action": "never", "action_post": "never",
    }
    base_permissions = ["can_read", "can_write"]
    base_filters = [["id", DossierScopeFilter, lambda: []]]
    list_title = _l("Dossiers")
    show_title = edit_title = _l("Dossier")
    list_columns = ["code", "procedure", "unit", "status", "submitted_at", "due_date"]
    search_columns = ["code", "procedure", "unit", "status", "due_date"]
    show_columns = ["code", "procedure", "unit", "status", "applicant", "assignee",
                    "contact_phone", "contact_email", "created_at", "submitted_at",
                    "received_at", "due_date", "completed_at", "on_time", "delivery_method",
                    "fee", "payment_status"]
    edit_columns = ["assignee"]
    base_order = ("id", "desc")
    label_columns = DOSSIER_LABELS
    formatters_columns = DOSSIER_FORMATTERS

    def _get_show_widget(self, pk, item, **kwargs):
        """The show page holds the contact details: the look is logged (app.core.access)."""
        log_access("view", item.code, "admin dossier view")
        return super()._get_show_widget(pk, item, **kwargs)

    def pre_update(self, item: Dossier) -> None:
        """Assignment goes through the state machine: unit check, history, optimistic lock."""
        assignee = item.assignee.id if item.assignee is not None else None  # the form set the relationship
        try:
            perform_action(g.user, item, "assign", assignee=str(assignee or ""))
        except DossierError as exc:
            self.datamodel.session.rollback()
            raise ValueError(exc.message) from exc


class DossierEventModelView(ModelView):
    """The append-only history: read-only for everyone."""

    datamodel = SQLAInterface(DossierEvent)
    class_permission_name = "DossierEvent"
    method_permission_name = {"list": "read", "show": "read"}
    base_permissions = ["can_read"]
    base_filters = [["id", DossierChildScopeFilter, lambda: []]]
    list_title = _l("Dossier history")
    list_columns = ["dossier", "created_at", "action", "status_before", "status_after", "actor",
                    "public"]
    show_columns = list_columns + ["note", "hash"]
    base_order = ("id", "desc")
    label_columns = DOSSIER_LABELS
    formatters_columns = DOSSIER_FORMATTERS
