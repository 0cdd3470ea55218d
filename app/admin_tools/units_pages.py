"""Units from vietnam-provinces, and which units offer a procedure (bulk, with overrides)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.admin_tools.unit_choice import split_codes, unit_choice
from app.core.refusal import Refused
from app.extensions import db, limiter
from app.procedures.models import UnitProcedure
from app.procedures.offerings import assign_procedure, units_for_assignment
from app.procedures.operations import get_procedure
from app.units.models import AdministrativeUnit
from app.units.operations import load_units


def provinces() -> list[AdministrativeUnit]:
    return db.session.scalars(select(AdministrativeUnit).where(
        AdministrativeUnit.level == "province").order_by(AdministrativeUnit.sort_name)).all()


def _int_or_none(text: str | None, problems: list[str]) -> int | None:
    text = (text or "").strip().replace(".", "").replace(",", "")
    if not text:
        return None
    if not text.isdigit():
        problems.append(_("The fee must be a whole number of đồng."))
        return None
    return int(text)


class OfferingAdminView(BaseView):
    """Load units, and assign procedures to units in bulk."""

    route_base = "/admin/units-tools"
    default_view = "units"
    class_permission_name = "UnitTools"
    method_permission_name = {"units": "write", "assign": "write"}
    base_permissions = ["can_write"]

    @expose("/", methods=["GET", "POST"])
    @has_access
    @limiter.limit("5 per minute", methods=["POST"])
    def units(self):
        problems, result = [], None
        if request.method == "POST":
            codes = request.form.get("provinces", "").replace(",", " ").split()
            try:
                result = load_units(codes)
            except Refused as exc:
                problems = exc.problems
        counts = dict(db.session.execute(select(AdministrativeUnit.active, func.count())
                                         .group_by(AdministrativeUnit.active)).all())
        return self.render_template("admin_tools/units.html", problems=problems, result=result,
                                    counts=counts, provinces=provinces()), 422 if problems else 200

    @expose("/assign/<code>", methods=["GET", "POST"])
    @has_access
    def assign(self, code: str):
        procedure = get_procedure(code)
        if procedure is None:
            abort(404)
        problems: list[str] = []
        form = request.form
        choice = unit_choice("unit", form if request.method == "POST" else None)
        if request.method == "POST" and not choice.handled:
            fee = _int_or_none(form.get("fee_override"), problems)
            codes = choice.codes + split_codes(form.get("units"))  # codes typed by older forms
            try:
                if problems:
                    raise Refused(problems)
                units = units_for_assignment(form.get("province", ""),
                                                 bool(form.get("all_communes")), codes)
                count = assign_procedure(procedure, units, {
                    "fee_override": fee,
                    "contact_override": form.get("contact_override", "").strip()[:1000],
                    "office_hours_override": form.get("office_hours_override", "").strip()[:1000]})
            except Refused as exc:
                problems = exc.problems
            else:
                flash(_("%(code)s is offered at %(n)d units.", code=code, n=count), "success")
                return redirect(url_for(".assign", code=code))
        offerings = db.session.scalars(select(UnitProcedure).where(
            UnitProcedure.procedure_id == procedure.id).join(UnitProcedure.unit)
            .order_by(AdministrativeUnit.code)).all()
        return self.render_template("admin_tools/assign.html", procedure=procedure,
                                    provinces=provinces(), offerings=offerings, choice=choice,
                                    problems=problems, form=form), 422 if problems else 200
