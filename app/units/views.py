"""Admin views of administrative units, browsable by parent."""
from __future__ import annotations

from flask_appbuilder import ModelView
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.core.audit import AuditedViewMixin
from app.core.columns import labelled, or_dash, yes_no
from app.core.deletion import GuardedDeleteMixin, run_action
from app.units.models import AdministrativeUnit
from app.units.operations import delete_unit, set_unit_active

LEVEL_LABELS = {"province": _l("Province / city"), "district": _l("District"),
                "commune": _l("Commune / ward")}

READ_WRITE = {
    "list": "read", "show": "read", "add": "write", "edit": "write", "delete": "write",
    "download": "read", "action": "write", "action_post": "write",
}


class UnitModelView(GuardedDeleteMixin, AuditedViewMixin, ModelView):
    """Units with their one-stop office contact; filter by parent to browse the tree. A unit
    that dossiers, offerings or officers point to is deactivated, never deleted."""

    datamodel = SQLAInterface(AdministrativeUnit)
    class_permission_name = "Unit"
    method_permission_name = {**READ_WRITE, "deactivate": "write", "activate": "write"}
    list_title = _l("Administrative units")
    show_title = add_title = edit_title = _l("Administrative unit")
    list_columns = ["code", "name", "level", "parent", "subunits", "active"]
    search_columns = ["code", "name", "level", "parent", "active"]
    show_columns = ["code", "name", "level", "division_type", "parent", "active", "centre",
                    "address", "phone", "email", "office_hours"]
    add_columns = edit_columns = ["code", "name", "level", "division_type", "parent", "active",
                                  "centre_name", "address", "phone", "email", "office_hours"]
    order_columns = ["code", "name", "level"]
    base_order = ("level", "desc")  # provinces first, then districts, then communes
    formatters_columns = {
        "level": labelled(LEVEL_LABELS), "active": yes_no, "parent": or_dash,
        "division_type": or_dash, "address": or_dash, "phone": or_dash, "email": or_dash,
        "office_hours": or_dash,
    }
    page_size = 50
    label_columns = {
        "code": _l("Code"), "name": _l("Name"), "level": _l("Administrative tier"),
        "division_type": _l("Kind"), "parent": _l("Parent unit"), "active": _l("Active"),
        "address": _l("Address"), "phone": _l("Phone"), "email": _l("Email"),
        "office_hours": _l("Office hours"), "subunits": _l("Subordinate units"),
        "centre": _l("Public administration service centre"),
        "centre_name": _l("Public administration service centre"),
    }
    description_columns = {
        "centre_name": _l("As the unit calls it; empty: \"Trung tâm Phục vụ hành chính công\" "
                          "followed by the unit's name."),
    }

    def delete_item(self, item: AdministrativeUnit) -> None:
        delete_unit(item)

    @action("deactivate", _l("Deactivate"),
            _l("Deactivate? It is no longer offered for filing; its dossiers keep working."),
            "fa-eye-slash")
    def deactivate(self, items):
        return run_action(self, items, lambda unit: set_unit_active(unit, False),
                          lambda n: ngettext("%(num)d unit deactivated.",
                                             "%(num)d units deactivated.", n))

    @action("activate", _l("Activate"), _l("Activate the unit again?"), "fa-eye")
    def activate(self, items):
        return run_action(self, items, lambda unit: set_unit_active(unit, True),
                          lambda n: ngettext("%(num)d unit activated.",
                                             "%(num)d units activated.", n))

    def pre_add(self, item: AdministrativeUnit) -> None:
        item.set_name(item.name)
        super().pre_add(item)

    def pre_update(self, item: AdministrativeUnit) -> None:
        item.set_name(item.name)
        super().pre_update(item)
