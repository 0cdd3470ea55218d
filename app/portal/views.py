"""Public portal pages: unit choice, catalogue, procedure page, blank declaration, lookup."""
from __future__ import annotations

import math

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_appbuilder import IndexView, expose
from flask_login import current_user
from sqlalchemy import select

from app.core.locale import current_locale
from app.dossiers.lookup import LOOKUP_SCOPE, lookup_dossier, lookup_limit, public_status
from app.extensions import db, limiter
from app.portal.blank_pdf import blank_declaration
from app.procedures.catalogue import catalogue as catalogue_of
from app.procedures.catalogue import has_district_procedures, unit_fields
from app.procedures.models import Procedure, UnitProcedure
from app.security.scope import ADMIN, AUDITOR, OFFICER, has_role
from app.units.operations import get_unit, search_units

bp = Blueprint("portal", __name__)
PAGE_SIZE = 10


def chosen_unit():
    """The commune/ward chosen for this visit (?unit= wins and is remembered)."""
    code = request.args.get("unit") or session.get("unit") or ""
    unit = get_unit(code) if code else None
    if unit is not None and unit.active:
        _remember("unit", unit.code)
        if unit.parent is not None:
            _remember("province", unit.parent.code)
        return unit
    return None


def _remember(key: str, value: str) -> None:
    """Kept for the visit; the cookie is signed and sent again only when it changes."""
    if session.get(key) != value:
        session[key] = value


def _remember_province(province) -> None:
    """The province chosen for this visit; nothing is written (no cookie) while none is."""
    if province is not None:
        _remember("province", province.code)
    else:
        session.pop("province", None)


@bp.route("/")
def home():
    """Say what the portal is; pick a province and commune (with search); show its catalogue."""
    provinces = search_units()
    province = get_unit(request.args.get("province") or session.get("province") or "")
    if province is not None and province.level != "province":
        province = None
    q = (request.args.get("q") or "").strip()[:100]
    communes = search_units(q=q or None, parent=province.code) if province else []
    _remember_province(province)
    unit = chosen_unit()
    if unit is not None and (province is None or unit.parent_id != province.id):
        session.pop("unit", None)  # a new province was chosen: choose its commune again
        _remember_province(province)
        unit = None
    procedures, total = [], 0
    if unit is not None:
        procedures, total = catalogue_of(unit.code, page=1, size=PAGE_SIZE)
    return render_template("portal/home.html", provinces=provinces, province=province,
                           communes=communes, unit=unit, q=q, procedures=procedures, total=total,
                           locale=current_locale())


@bp.route("/procedures")
def catalogue():
    """The chosen unit's procedures with filters by field, tier, level and free text."""
    unit = chosen_unit()
    if unit is None:
        return redirect(url_for("portal.home"))
    q = (request.args.get("q") or "").strip()[:100]
    field = request.args.get("field") or None
    tier = request.args.get("tier") if request.args.get("tier") in ("commune", "district", "province") else None
    level = request.args.get("level", type=int)
    level = level if level in (1, 2, 3, 4) else None
    # The catalogue of one unit is bounded (hundreds of procedures): numbered pages.
    page = max(1, request.args.get("page", 1, type=int))
    procedures, total = catalogue_of(unit.code, q=q or None, field=field, level=level, tier=tier,
                                  page=page, size=PAGE_SIZE)
    fields = unit_fields(unit.id)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    args = {k: v for k, v in {"q": q, "field": field, "tier": tier, "level": level}.items() if v}
    has_districts = has_district_procedures()
    return render_template("portal/catalogue.html", unit=unit, procedures=procedures, fields=fields,
                           has_districts=has_districts,
                           total=total, page=page, pages=pages, args=args, q=q, field=field,
                           tier=tier, level=level, locale=current_locale())


def _procedure_or_404(code: str) -> Procedure:
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == code, Procedure.active.is_(True)))
    if procedure is None:
        abort(404)
    return procedure


@bp.route("/procedures/<code>")
def procedure(code: str):
    """Level 1 information, level 2 templates, and the button to file online."""
    item = _procedure_or_404(code)
    unit = chosen_unit()
    offering = None
    if unit is not None:
        offering = db.session.scalar(select(UnitProcedure).where(
            UnitProcedure.unit_id == unit.id, UnitProcedure.procedure_id == item.id,
            UnitProcedure.active.is_(True)))
    locale = current_locale()
    extra = item.extra or {}

    def localized(key: str, value):
        """The English text (`<key>_en`) on English pages, else the Vietnamese one."""
        return extra.get(f"{key}_en") or value if locale == "en" else value

    version = item.current_version
    documents = []
    for doc in (version.required_documents if version else []) or []:
        title = doc.get("title", doc.get("key"))
        if locale != "vi":
            title = (doc.get("x-i18n") or {}).get(locale, {}).get("title", title)
        documents.append({"title": title, "required": doc.get("required", False)})
    return render_template(
        "portal/procedure.html", procedure=item, unit=unit, offering=offering, version=version,
        documents=documents, steps=localized("steps", item.steps or []),
        agency=localized("agency", item.agency), result=localized("result", item.result),
        fee_note=localized("fee_note", item.fee_note),
        processing_note=localized("processing_note", extra.get("processing_note")),
        verification_note=localized("verification_note", extra.get("verification_note")),
        legal_basis=localized("legal_basis", item.legal_basis or []),
        field_name=(item.field.name_en if locale == "en" and item.field.name_en else item.field.name)
        if item.field else None,
        applicants=localized("applicants", extra.get("applicants")),
        requirements=localized("requirements", extra.get("requirements") or []),
        templates=list(getattr(item, "templates", []) or []), locale=locale,
        fee=offering.fee if offering else item.fee)


@bp.route("/procedures/<code>/declaration.pdf")
def declaration_pdf(code: str):
    """The printable blank declaration, generated from the published schema."""
    item = _procedure_or_404(code)
    if item.current_version is None:
        abort(404)
    data = blank_declaration(item, chosen_unit(), current_locale())
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="to-khai-{item.code}.pdf"'})


@bp.route("/lookup")
@limiter.shared_limit(lookup_limit, scope=LOOKUP_SCOPE, exempt_when=lambda: not request.args.get("code"))
def lookup():
    """Public status by dossier code and the last 4 digits of the phone; no personal data."""
    code = (request.args.get("code") or "").strip()
    phone4 = (request.args.get("phone4") or "").strip()
    result, errors = None, {}
    if code or phone4:
        if not code:
            errors["code"] = True
        if not (phone4.isdigit() and len(phone4) == 4):
            errors["phone4"] = True
        if not errors:
            dossier = lookup_dossier(code, phone4)
            result = public_status(dossier, current_locale()) if dossier else None
    return render_template("dossiers/public/lookup.html", code=code, phone4=phone4, result=result,
                           errors=errors, asked=bool(code and phone4 and not errors))


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


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
        """Administrators' landing page; officers and auditors work from the back office queue."""
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.path))
        if has_role(current_user, OFFICER, AUDITOR) and not has_role(current_user, ADMIN):
            return redirect(url_for("backoffice.queue"))
        if not has_role(current_user, ADMIN):
            abort(403)  # a citizen has nothing to do here
        return self.render_template(self.index_template, appbuilder=self.appbuilder)
