"""Public portal pages: home with the unit picker, language switch."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_appbuilder import IndexView, expose

from app.extensions import db
from app.procedures.operations import search_procedures
from app.units.operations import get_unit, search_units

bp = Blueprint("portal", __name__)


@bp.route("/")
def home():
    """Say what the portal is; pick a province and commune; list its procedures."""
    provinces = search_units()
    province = get_unit(request.args.get("province") or session.get("province") or "")
    if province is not None and province.level != "province":
        province = None
    communes = search_units(parent=province.code) if province else []
    unit = get_unit(request.args.get("unit") or session.get("unit") or "")
    if unit is not None and (province is None or unit.parent_id != province.id):
        unit = None
    session["province"] = province.code if province else None
    session["unit"] = unit.code if unit else None
    procedures = db.session.scalars(search_procedures(unit.code)).all() if unit else []
    return render_template("portal/home.html", provinces=provinces, province=province,
                           communes=communes, unit=unit, procedures=procedures)


@bp.route("/language/<code>")
def language(code: str):
    """Switch the interface language and go back where the visitor was."""
    if code in current_app.config["LANGUAGES"]:
        session["locale"] = code
    target = request.referrer or url_for("portal.home")
    if not target.startswith(request.host_url):
        target = url_for("portal.home")
    return redirect(target)


class AdminIndexView(IndexView):
    """The back office's landing page, under /admin so that / is the portal."""

    route_base = "/admin"
    index_template = "admin/index.html"

    @expose("/")
    def index(self):
        return self.render_template(self.index_template, appbuilder=self.appbuilder)
