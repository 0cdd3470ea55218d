"""Fees, online reductions and postal charges of a province (Administration menu)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin_tools.units_pages import provinces
from app.core.refusal import Refused
from app.extensions import db
from app.procedures.fee_settings import COLUMNS, RowInput, field_names, save_fee_settings
from app.procedures.fees import settings_rows
from app.procedures.models import Procedure
from app.units.operations import get_unit


def _shown(setting, prefix: str) -> dict[str, str]:
    """A stored row as the form shows it."""
    names = field_names(prefix)
    if setting is None:
        return dict.fromkeys(names.values(), "")
    values = {}
    for column in COLUMNS:
        value = getattr(setting, column)
        if column == "reduction_until":
            values[names[column]] = value.strftime("%d/%m/%Y") if value else ""
        else:
            values[names[column]] = "" if value is None else str(value)
    return values


class FeeSettingsView(BaseView):
    """Per province: the fee of each procedure, a reduction for online filing, the postage."""

    route_base = "/admin/fees"
    default_view = "index"
    class_permission_name = "FeeSettings"
    method_permission_name = {"index": "write"}
    base_permissions = ["can_write"]

    @expose("/", methods=["GET", "POST"])
    @has_access
    def index(self):
        code = request.values.get("province", "")
        province = get_unit(code) if code else None
        if province is not None and province.level != "province":
            province = None
        procedures = db.session.scalars(select(Procedure).where(Procedure.active.is_(True))
                                        .order_by(Procedure.code)).all()
        rows = [RowInput(None, "")] + [RowInput(p, f"-{p.id}") for p in procedures]
        problems, fields, values = [], {}, {}
        if province is not None and request.method == "POST":
            try:
                changed = save_fee_settings(province, rows, request.form)
            except Refused as exc:
                problems, fields = exc.problems, exc.fields
                values = request.form.to_dict()
            else:
                flash(_("Fees of %(p)s saved (%(n)d changes).", p=province.name, n=changed), "success")
                return redirect(url_for(".index", province=province.code))
        if province is not None and not values:
            stored = {s.procedure_id: s for s in settings_rows(province.id)}
            for row in rows:
                values.update(_shown(stored.get(row.procedure.id if row.procedure else None), row.prefix))
        return self.render_template(
            "admin_tools/fees.html", provinces=provinces(), province=province, rows=rows,
            values=values, problems=problems, fields=fields, names=field_names,
        ), 422 if problems else 200
