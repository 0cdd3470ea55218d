"""The counter (Tiếp nhận hồ sơ trực tiếp): an officer opens a walk-in's dossier, fills the same
generated form, uploads the scans and receives it on the spot; the register of the unit; the
citizen's claim of a counter dossier."""
from __future__ import annotations

import datetime as dt
import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.locale import current_locale
from app.dossiers import attachments, counter, fees, submission
from app.dossiers import operations as dossier_ops
from app.dossiers.controllers.access import (
    citizen_required,
    file_response,
    staff_required,
    visible_or_404,
)
from app.dossiers.errors import DossierError
from app.dossiers.filters import is_counter_officer, officer_unit_ids
from app.dossiers.forms import DELIVERY_LABELS
from app.dossiers.idempotency import KeyReused
from app.dossiers.models import Dossier
from app.dossiers.register import RegisterQuery
from app.dossiers.register_export import HEADERS, period_text, register_pdf, register_xlsx, rows
from app.dossiers.status import PAYMENT_LABELS, Status
from app.extensions import db, limiter
from app.procedures.models import Procedure, UnitProcedure
from app.security.scope import ADMIN, AUDITOR, has_role
from app.units.models import AdministrativeUnit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_units() -> list[AdministrativeUnit]:
    """The units whose counter and register the user works with (administrators: all that
    offer something)."""
    stmt = select(AdministrativeUnit).where(AdministrativeUnit.active.is_(True))
    if has_role(current_user, ADMIN, AUDITOR):
        stmt = stmt.where(AdministrativeUnit.id.in_(select(UnitProcedure.unit_id)))
    else:
        stmt = stmt.where(AdministrativeUnit.id.in_(officer_unit_ids(current_user) or (0,)))
    return list(db.session.scalars(stmt.order_by(AdministrativeUnit.sort_name)))


def _offered(unit: AdministrativeUnit) -> list[Procedure]:
    return list(db.session.scalars(
        select(Procedure).join(UnitProcedure, UnitProcedure.procedure_id == Procedure.id)
        .where(UnitProcedure.unit_id == unit.id, UnitProcedure.active.is_(True),
               Procedure.active.is_(True)).order_by(Procedure.sort_name)))


@staff_required
def start():
    """Step 1 at the counter: unit, procedure, the walk-in's identity and contact, delivery."""
    units = [u for u in staff_units() if counter.may_take_at(current_user, u)]
    if not units:
        abort(403)
    chosen = next((u for u in units if u.code == (request.values.get("unit") or "")), units[0])
    procedures = [p for p in _offered(chosen) if p.current_version is not None]
    values = {k: (request.form.get(k) or "").strip() for k in
              ("procedure", "name", "id_number", "phone", "email", "method", "street")}
    errors: dict[str, str] = {}
    # One token per opened form: a double click or a resent form opens one dossier, not two.
    token = request.form.get("token") or ""
    if not (token.isalnum() and len(token) == 32):
        token = uuid.uuid4().hex
    if request.method == "POST" and not request.form.get("_refresh"):
        try:
            dossier, _created = counter.create_counter_dossier(current_user, counter.WalkIn(
                procedure_code=values["procedure"], unit_code=chosen.code, name=values["name"],
                id_number=values["id_number"], phone=values["phone"], email=values["email"],
                delivery_method=values["method"] or "office",
                delivery_address={"street": values["street"]} if values["street"] else {},
                idempotency_key=f"web-{token}"))
        except KeyReused:  # this form already opened a dossier (back button, then changed)
            token = uuid.uuid4().hex
            errors = {"_": _("This form already opened a dossier. Check the details and press "
                             "the button again to open another one.")}
        except DossierError as exc:
            if exc.status == 403:
                abort(403)
            errors = {e["path"]: e["message"] for e in exc.errors} or {"_": exc.message}
        else:
            return redirect(url_for("backoffice.counter_dossier", code=dossier.code))
    drafts = db.session.scalars(select(Dossier).where(
        Dossier.channel == counter.COUNTER, Dossier.status == Status.DRAFT,
        Dossier.unit_id.in_([u.id for u in units])).order_by(Dossier.created_at.desc()).limit(20))
    return render_template("dossiers/officer/counter_start.html", units=units, unit=chosen,
                           procedures=procedures, values=values, errors=errors,
                           delivery_labels=DELIVERY_LABELS, drafts=list(drafts), token=token), \
        (422 if errors else 200)


def _counter_dossier_or_404(code: str) -> Dossier:
    dossier = visible_or_404(code)
    if not is_counter_officer(current_user, dossier):
        abort(404)
    return dossier


@staff_required
@limiter.limit("60 per minute", methods=["POST"])
def fill(code: str):
    """Step 2 at the counter: the generated declaration, the scans, and receive on the spot."""
    dossier = _counter_dossier_or_404(code)
    if not Status(dossier.status).editable:
        return redirect(url_for("backoffice.dossier", code=code))
    compiled = submission.compiled_form(dossier)
    locale = current_locale()
    data, form_errors, problems = dossier.data or {}, [], {}
    if request.method == "POST":
        data, handled = compiled.handle_array_buttons(request.form, previous=dossier.data)
        try:
            dossier_ops.update_dossier(current_user, dossier, data=data)
            _uploads(dossier, problems)
        except DossierError as exc:
            problems.setdefault("_", []).append(exc.message)
        db.session.refresh(dossier)
        if not handled and request.form.get("receive") and not problems:
            try:
                with db.session.begin_nested():  # the cash taken and the receipt: both or neither
                    if request.form.get("fee_cash") and _collect_now(dossier):
                        dossier_ops.perform_action(current_user, dossier, "pay",
                                                   expected_version=dossier.version)
                    dossier_ops.perform_action(current_user, dossier, "receive",
                                               expected_version=dossier.version)
            except DossierError as exc:
                db.session.refresh(dossier)
                for error in exc.errors or [{"path": "", "message": exc.message}]:
                    problems.setdefault(_problem_key(error["path"]), []).append(error["message"])
            else:
                flash(_("Dossier %(code)s was received; print the receipt and give it to the "
                        "applicant.", code=code), "success")
                return redirect(url_for("backoffice.dossier", code=code, printed="receipt"))
        form_errors = compiled.validate(data, locale) if problems.get("data") else []
    return render_template(
        "dossiers/officer/counter_fill.html", dossier=dossier, problems=problems,
        form_html=compiled.render(data, form_errors, locale),
        documents=attachments.documents_for(dossier),
        needed=set(attachments.missing_documents(dossier)),
        collect=_collect_now(dossier), due=fees.amount_due(dossier), money=fees.money,
        item_label=fees.item_label, locale=locale, payment_labels=PAYMENT_LABELS,
        fee_cash=bool(request.form.get("fee_cash")),
        titles=attachments.document_titles(dossier, locale),
        max_mb=current_app.config["UPLOAD_MAX_FILE_BYTES"] // (1024 * 1024)), \
        (422 if problems else 200)


def _collect_now(dossier: Dossier) -> bool:
    """A fee paid at submission is still due: the officer takes it before receiving."""
    return fees.payment_stage(dossier.procedure) == "submission" and fees.amount_due(dossier) > 0


def _problem_key(path: str) -> str:
    if path.startswith("/data"):
        return "data"
    if path.startswith(("/fee", "/amount")):
        return "fee"
    if path.startswith("/attachments/"):
        return path.split("/", 2)[2]
    return "_"


def _uploads(dossier: Dossier, problems: dict[str, list[str]]) -> None:
    remove = request.form.get("remove")
    if remove and remove.isdigit():
        attachments.remove_attachment(current_user, dossier, int(remove))
    for doc in attachments.documents_for(dossier):
        for upload in request.files.getlist(f"file-{doc['key']}"):
            if upload and upload.filename:
                try:
                    attachments.add_attachment(current_user, dossier, doc["key"], upload.filename,
                                               upload.stream)
                except DossierError as exc:
                    problems.setdefault(doc["key"], []).append(f"{upload.filename}: {exc.message}")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@staff_required
def register():
    """Sổ theo dõi hồ sơ of one of the user's units for a period: a page, a PDF or a workbook."""
    units = staff_units()
    if not units:
        abort(403)
    code = request.args.get("unit") or units[0].code
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        abort(404)  # not one of the user's units: as if it did not exist
    query = RegisterQuery(unit.id, _date(request.args.get("from")), _date(request.args.get("to")))
    kind = request.args.get("format", "")
    stem = f"so-theo-doi-ho-so-{unit.code}"
    if kind == "pdf":
        return file_response(register_pdf(unit, query), "application/pdf", f"{stem}.pdf", True)
    if kind == "xlsx":
        return file_response(register_xlsx(unit, query), XLSX, f"{stem}.xlsx")
    return render_template("dossiers/officer/register.html", units=units, unit=unit, query=query,
                           headers=HEADERS, rows=rows(query),
                           period=period_text(query.start, query.end))


# --- The citizen's claim ----------------------------------------------------------------------

def _claim_limit() -> str:
    return current_app.config.get("CLAIM_RATE_LIMIT", "5 per minute; 20 per hour")


@citizen_required
@limiter.limit(_claim_limit, methods=["POST"])
def claim():
    """/my/claim: take a dossier filed at the counter into the account (code + phone)."""
    values = {k: (request.form.get(k) or "").strip() for k in ("code", "phone")}
    error = ""
    if request.method == "POST":
        try:
            dossier = counter.claim_dossier(current_user, values["code"], values["phone"])
        except DossierError as exc:
            error = exc.message
        else:
            flash(_("Dossier %(code)s is now in your account.", code=dossier.code), "success")
            return redirect(url_for("filing.dossier", code=dossier.code))
    return render_template("dossiers/citizen/claim.html", values=values, error=error), \
        (404 if error else 200)



