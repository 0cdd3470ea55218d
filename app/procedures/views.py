"""Admin views of the procedure catalogue."""
from __future__ import annotations

import io

from flask import Blueprint, abort, send_file
from flask_appbuilder import ModelView
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.core.audit import AuditedViewMixin
from app.core.columns import labelled, moment, money, or_dash, yes_no
from app.core.deletion import GuardedDeleteMixin, run_action
from app.extensions import db
from app.procedures import withdrawal
from app.procedures.models import Field, Procedure, ProcedureTemplate, ProcedureVersion, UnitProcedure
from app.storage import StorageError, get_storage
from app.units.views import READ_WRITE

TIER_LABELS = {"commune": _l("Commune tier"), "district": _l("District tier"),
               "province": _l("Province tier")}
# The catalogue switches are FAB actions (one row from its page, or the rows ticked in the list).
CATALOGUE_ACTIONS = {**READ_WRITE, "withdraw": "write", "reinstate": "write"}

COMMON_LABELS = {
    "code": _l("Code"), "name": _l("Name"), "name_en": _l("Name in English"), "field": _l("Field"),
    "tier": _l("Tier"), "level": _l("Level"), "processing_days": _l("Processing days"),
    "verification_days": _l("Days when verification is needed"), "fee": _l("Fee (VND)"),
    "retention_months": _l("Personal data kept after the end (months)"),
    "fee_note": _l("Fee note"), "agency": _l("Agency"), "result": _l("Result"),
    "active": _l("Active"), "procedure": _l("Procedure"), "number": _l("Version"),
    "published_at": _l("Published at"), "created_at": _l("Created at"), "unit": _l("Unit"),
    "fee_override": _l("Fee at this unit (VND)"), "contact_override": _l("Contact at this unit"),
    "office_hours_override": _l("Office hours at this unit"), "schema": _l("Form schema"),
    "ui_schema": _l("UI schema"), "required_documents": _l("Required documents"),
    "steps": _l("Steps"), "legal_basis": _l("Legal basis"),
}


class FieldModelView(GuardedDeleteMixin, AuditedViewMixin, ModelView):
    datamodel = SQLAInterface(Field)
    class_permission_name = "Field"
    method_permission_name = READ_WRITE
    list_title = _l("Fields")
    list_columns = add_columns = edit_columns = show_columns = ["name", "name_en"]
    label_columns = COMMON_LABELS
    formatters_columns = {"name_en": or_dash}

    def delete_item(self, item: Field) -> None:
        withdrawal.delete_field(item)


class ProcedureModelView(GuardedDeleteMixin, AuditedViewMixin, ModelView):
    """The catalogue; a procedure with dossiers is withdrawn, never deleted."""

    datamodel = SQLAInterface(Procedure)
    class_permission_name = "Procedure"
    method_permission_name = CATALOGUE_ACTIONS
    list_title = _l("Procedures")
    show_title = add_title = edit_title = _l("Procedure")
    list_columns = ["code", "name", "field", "tier", "level", "processing_days", "fee", "active"]
    search_columns = ["code", "name", "field", "tier", "level", "active"]
    show_columns = ["code", "name", "name_en", "field", "tier", "level", "processing_days",
                    "verification_days", "retention_months", "fee", "fee_note", "agency", "result",
                    "active"]
    add_columns = edit_columns = show_columns
    base_order = ("code", "asc")
    label_columns = COMMON_LABELS
    formatters_columns = {"tier": labelled(TIER_LABELS), "active": yes_no, "fee": money,
                          "field": or_dash, "name_en": or_dash, "verification_days": or_dash,
                          "retention_months": or_dash, "fee_note": or_dash, "agency": or_dash,
                          "result": or_dash}

    def delete_item(self, item: Procedure) -> None:
        withdrawal.delete_procedure(item)

    @action("withdraw", _l("Withdraw from the catalogue"),
            _l("Withdraw from the catalogue? Nobody can file it any more; its dossiers keep "
               "working."), "fa-eye-slash")
    def withdraw(self, items):
        return run_action(self, items, withdrawal.withdraw_procedure, lambda n: ngettext(
            "%(num)d procedure withdrawn from the catalogue.",
            "%(num)d procedures withdrawn from the catalogue.", n))

    @action("reinstate", _l("Back in the catalogue"), _l("Put back in the catalogue?"), "fa-eye")
    def reinstate(self, items):
        return run_action(self, items, withdrawal.reinstate_procedure, lambda n: ngettext(
            "%(num)d procedure back in the catalogue.",
            "%(num)d procedures back in the catalogue.", n))

    def pre_add(self, item: Procedure) -> None:
        item.set_name(item.name)
        super().pre_add(item)

    def pre_update(self, item: Procedure) -> None:
        item.set_name(item.name)
        super().pre_update(item)


class ProcedureVersionModelView(ModelView):
    """Versions are read here; they are created by import or the procedure editor."""

    datamodel = SQLAInterface(ProcedureVersion)
    class_permission_name = "ProcedureVersion"
    method_permission_name = READ_WRITE
    base_permissions = ["can_read"]
    list_title = _l("Procedure versions")
    list_columns = ["procedure", "number", "created_at", "published_at"]
    show_columns = ["procedure", "number", "created_at", "published_at", "required_documents",
                    "schema", "ui_schema"]
    base_order = ("id", "desc")
    label_columns = COMMON_LABELS
    formatters_columns = {"created_at": moment, "published_at": moment}


class UnitProcedureModelView(GuardedDeleteMixin, AuditedViewMixin, ModelView):
    """Where each procedure is offered; an offering with dossiers is stopped, never deleted."""

    datamodel = SQLAInterface(UnitProcedure)
    class_permission_name = "UnitProcedure"
    method_permission_name = CATALOGUE_ACTIONS
    list_title = _l("Unit offerings")
    list_columns = ["unit", "procedure", "fee_override", "active"]
    search_columns = ["unit", "procedure", "active"]
    add_columns = edit_columns = show_columns = [
        "unit", "procedure", "fee_override", "contact_override", "office_hours_override", "active"]
    label_columns = COMMON_LABELS
    formatters_columns = {"fee_override": money, "contact_override": or_dash,
                          "office_hours_override": or_dash, "active": yes_no}

    def delete_item(self, item: UnitProcedure) -> None:
        withdrawal.delete_offering(item)

    @action("withdraw", _l("Stop offering here"),
            _l("Stop offering it at this unit? Its dossiers there keep working."), "fa-eye-slash")
    def withdraw(self, items):
        return run_action(self, items, withdrawal.withdraw_offering, lambda n: ngettext(
            "%(num)d offering stopped.", "%(num)d offerings stopped.", n))

    @action("reinstate", _l("Offer again"), _l("Offer it again at this unit?"), "fa-eye")
    def reinstate(self, items):
        return run_action(self, items, withdrawal.reinstate_offering, lambda n: ngettext(
            "%(num)d offering offered again.", "%(num)d offerings offered again.", n))


# --- Public download of form templates (level 2) ------------------------------------------



files_bp = Blueprint("procedure_files", __name__)


@files_bp.route("/procedures/<code>/templates/<int:template_id>")
def download_template(code: str, template_id: int):
    """A template file of an active procedure, as uploaded by an administrator."""

    template = db.session.get(ProcedureTemplate, template_id)
    if template is None or template.procedure.code != code or not template.procedure.active:
        abort(404)
    try:
        data = get_storage().read(template.storage_key)
    except StorageError:
        abort(404)
    return send_file(io.BytesIO(data), mimetype=template.content_type, as_attachment=True,
                     download_name=template.filename, max_age=3600)
