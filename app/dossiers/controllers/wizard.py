"""The six steps of filing online; every step saves the draft before moving on."""
from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts import captcha
from app.accounts.operations import profile_values
from app.core.contact import is_email, is_mobile_phone, normalize_phone
from app.core.locale import current_locale
from app.dossiers import attachments, fees, submission
from app.dossiers import operations as dossier_ops
from app.dossiers.controllers.access import citizen_required, own_dossier, procedure_title
from app.dossiers.errors import DossierError
from app.dossiers.forms import DELIVERY_LABELS, DeliveryForm, StartForm, SubmitForm
from app.dossiers.status import Status
from app.extensions import db, limiter
from app.procedures.forms import compiled_form_for
from app.procedures.models import Procedure, UnitProcedure
from app.units.models import AdministrativeUnit
from app.units.operations import get_unit, search_units


def _onward(code: str, endpoint: str) -> str:
    """The next step, or back to the check-answers page when the citizen came from there."""
    if request.args.get("back") == "review":
        return url_for("filing.review", code=code)
    return url_for(endpoint, code=code)


def _editable_or_redirect(dossier):
    if not Status(dossier.status).editable:
        flash(_("This dossier was already submitted; it can no longer be changed."), "info")
        return redirect(url_for("filing.dossier", code=dossier.code))
    return None


def _offering_units(procedure: Procedure, province_code: str | None) -> list[AdministrativeUnit]:
    stmt = (select(AdministrativeUnit).join(UnitProcedure, UnitProcedure.unit_id == AdministrativeUnit.id)
            .where(UnitProcedure.procedure_id == procedure.id, UnitProcedure.active.is_(True),
                   AdministrativeUnit.active.is_(True)).order_by(AdministrativeUnit.sort_name))
    units = list(db.session.scalars(stmt))
    province = get_unit(province_code or "")
    if province is not None:
        local = [u for u in units if u.parent_id == province.id]
        units = local or units
    return units


def _usable(check, value: str) -> str:
    """A profile's contact detail if it passes the filing rule, else nothing to correct later."""
    value = normalize_phone(value) if check is is_mobile_phone else (value or "").strip()
    return value if value and check(value) else ""


@citizen_required
def start(procedure_code: str):
    """Step 1: the handling unit (pre-filled with the chosen one) and agreement."""
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == procedure_code,
                                                          Procedure.active.is_(True)))
    if procedure is None or procedure.current_version is None or procedure.level < 3:
        abort(404)
    if not dossier_ops.may_file(current_user):
        return render_template("errors/error.html", code=403, title=_("Access denied"),
                               message=_("Only citizens file dossiers online, in their own name.")), 403
    units = _offering_units(procedure, session.get("province"))
    form = StartForm()
    form.unit.choices = [(u.code, u.name) for u in units]
    if request.method == "GET":
        form.unit.data = request.args.get("unit") or session.get("unit")
        form.token.data = uuid.uuid4().hex
    if form.validate_on_submit():
        profile = profile_values(current_user)
        compiled = compiled_form_for(procedure.current_version)
        new = dossier_ops.NewDossier(
            procedure_code=procedure.code, unit_code=form.unit.data,
            data=compiled.prefill(profile), phone=_usable(is_mobile_phone, profile.get("phone", "")),
            email=_usable(is_email, profile.get("email", "")),
            delivery_method=submission.offered_methods(procedure)[0],
            idempotency_key=f"web-{form.token.data}"[:100] if form.token.data else None)
        try:
            dossier, _created = dossier_ops.create_dossier(current_user, new)
        except DossierError as exc:
            form.unit.errors = list(form.unit.errors) + [exc.message]
        else:
            session["unit"] = form.unit.data
            return redirect(url_for("filing.declaration", code=dossier.code))
    return render_template("dossiers/citizen/start.html", procedure=procedure, form=form,
                           title=procedure_title(procedure, current_locale()), step="start")


@citizen_required
def declaration(code: str):
    """Step 2: the generated declaration form; saved on every post, valid or not."""
    dossier = own_dossier(code)
    if (stop := _editable_or_redirect(dossier)) is not None:
        return stop
    compiled = submission.compiled_form(dossier)
    locale = current_locale()
    errors = []
    data = dossier.data or {}
    if request.method == "POST":
        data, handled = compiled.handle_array_buttons(request.form, previous=dossier.data)
        dossier_ops.update_dossier(current_user, dossier, data=data)
        if not handled:
            errors = compiled.validate(data, locale)
            if request.form.get("_save"):
                flash(_("Draft saved. You can continue later from My dossiers."), "success")
                return redirect(url_for("filing.dossier", code=code))
            if not errors:
                return redirect(_onward(code, "filing.documents"))
    return render_template("dossiers/citizen/declaration.html", dossier=dossier, step="declaration",
                           form_html=compiled.render(data, errors, locale), errors=errors,
                           title=procedure_title(dossier.procedure, locale))


@citizen_required
def documents(code: str):
    """Step 3: files for each required document (PDF, JPEG, PNG; checked by content)."""
    dossier = own_dossier(code)
    if (stop := _editable_or_redirect(dossier)) is not None:
        return stop
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            _apply_uploads(dossier, problems)
        except DossierError as exc:
            problems.setdefault("_", []).append(exc.message)
        db.session.refresh(dossier)
        if request.form.get("next") and not problems:
            missing = attachments.missing_documents(dossier)
            if not missing:
                return redirect(_onward(code, "filing.delivery"))
            for key in missing:
                problems.setdefault(key, []).append(_("This document is required: attach at least one file."))
        elif not problems and request.form.get("_save"):
            flash(_("Draft saved. You can continue later from My dossiers."), "success")
            return redirect(url_for("filing.dossier", code=code))
    locale = current_locale()
    return render_template("dossiers/citizen/documents.html", dossier=dossier, step="documents",
                           documents=attachments.documents_for(dossier),
                           titles=attachments.document_titles(dossier, locale), problems=problems,
                           title=procedure_title(dossier.procedure, locale),
                           max_mb=current_app.config["UPLOAD_MAX_FILE_BYTES"] // (1024 * 1024),
                           total_mb=current_app.config["UPLOAD_MAX_DOSSIER_BYTES"] // (1024 * 1024))


def _apply_uploads(dossier, problems: dict[str, list[str]]) -> None:
    """Remove, replace and add files as the form asks; errors per document key."""
    remove = request.form.get("remove")
    if remove and remove.isdigit():
        attachments.remove_attachment(current_user, dossier, int(remove))
    for item in list(dossier.attachments):
        upload = request.files.get(f"replace-{item.id}")
        if upload and upload.filename:
            _try(problems, item.document_key, attachments.replace_attachment, current_user, dossier,
                 item.id, upload.filename, upload.stream)
    for doc in attachments.documents_for(dossier):
        for upload in request.files.getlist(f"file-{doc['key']}"):
            if upload and upload.filename:
                _try(problems, doc["key"], attachments.add_attachment, current_user, dossier,
                     doc["key"], upload.filename, upload.stream)


def _try(problems, key, fn, *args) -> None:
    try:
        fn(*args)
    except DossierError as exc:
        name = args[-2] if isinstance(args[-2], str) else ""
        problems.setdefault(key, []).append(f"{name}: {exc.message}" if name else exc.message)


@citizen_required
def delivery(code: str):
    """Step 4: contact details and how the result comes back."""
    dossier = own_dossier(code)
    if (stop := _editable_or_redirect(dossier)) is not None:
        return stop
    form = DeliveryForm()
    methods = submission.offered_methods(dossier.procedure)
    form.method.choices = [(m, DELIVERY_LABELS[m]) for m in methods]
    postal = "post" in methods  # no postal address for a result that is never posted
    address = dossier.delivery_address or {}
    if request.method == "GET":
        form.phone.data, form.email.data = dossier.contact_phone, dossier.contact_email
        form.method.data = dossier.delivery_method
        form.province.data = address.get("province") or (dossier.unit.parent.code if dossier.unit.parent else "")
        form.commune.data, form.street.data = address.get("commune", ""), address.get("street", "")
    province = form.province.data or ""
    form.province.choices = [("", _("— Choose a province —"))] + [(u.code, u.name) for u in search_units()]
    form.commune.choices = [("", _("— Choose a commune or ward —"))] + \
        [(u.code, u.name) for u in (search_units(parent=province) if province else [])]
    offer_exemption = bool(dossier.fee_exemption) or fees.exemption_available(dossier)
    form.exemption.choices = [("", _("No, I do not claim an exemption"))] + [
        (key, str(label_en) if current_locale() == "en" else label_vi)
        for key, (label_vi, label_en) in fees.EXEMPTIONS.items()
        if key in fees.exemptions_offered(dossier.procedure)]
    if request.method == "GET":
        form.exemption.data = dossier.fee_exemption or ""
    if form.validate_on_submit() and not request.form.get("_refresh"):
        contact = {"phone": form.phone.data or "", "email": form.email.data or ""}
        chosen = {"method": form.method.data, "address": {
            "province": province, "commune": form.commune.data or "", "street": form.street.data or ""}
            if postal else {}}
        fee = {"exemption": form.exemption.data or None} if offer_exemption else None
        problems = submission.contact_problems(normalize_phone(contact["phone"]), contact["email"], True)
        problems += submission.delivery_problems(dossier.procedure, chosen["method"], chosen["address"], required=True)
        problems += fees.exemption_problems(dossier.procedure, (fee or {}).get("exemption"))
        if not problems:
            dossier_ops.update_dossier(current_user, dossier, contact=contact, delivery=chosen, fee=fee)
            return redirect(url_for("filing.review", code=code))
        _errors_to_form(form, problems)
    return render_template("dossiers/citizen/delivery.html", dossier=dossier, form=form, step="delivery",
                           offer_exemption=offer_exemption, methods=methods, postal=postal,
                           office_hours=_office_hours(dossier) if methods == ["office"] else "",
                           title=procedure_title(dossier.procedure, current_locale()))


def _office_hours(dossier) -> str:
    """When the unit's one-stop office is open for this procedure (its offering's hours first)."""
    override = db.session.scalar(select(UnitProcedure.office_hours_override).where(
        UnitProcedure.unit_id == dossier.unit_id, UnitProcedure.procedure_id == dossier.procedure_id))
    return override or dossier.unit.office_hours or ""


def _errors_to_form(form, problems: list[dict]) -> None:
    fields = {"/contact/phone": form.phone, "/contact/email": form.email, "/delivery/method": form.method,
              "/delivery/address/street": form.street, "/delivery/address/commune": form.commune,
              "/fee/exemption": form.exemption}
    for problem in problems:
        field = fields.get(problem["path"], form.method)
        field.errors = list(field.errors) + [problem["message"]]


def _review_context(dossier, locale):
    pruned, problems = submission.submission_problems(dossier, locale)
    compiled = submission.compiled_form(dossier)
    fees.refresh_fee(dossier)  # the fee of the data as it stands, before anything is paid
    return {"readonly": compiled.render_readonly(pruned, locale), "problems": problems,
            "fee_sections": fees.page_sections(dossier, current_user, "review") if not problems else [],
            "pay_first": fees.payment_stage(dossier.procedure) == "submission" and fees.amount_due(dossier) > 0,
            "item_label": fees.item_label, "money": fees.money, "locale": locale,
            "titles": attachments.document_titles(dossier, locale),
            "delivery_label": DELIVERY_LABELS.get(dossier.delivery_method, dossier.delivery_method),
            "address_text": submission.address_text(dossier.delivery_address or {})}


def problem_step(path: str) -> str:
    """Which wizard step fixes a problem at this path."""
    if path.startswith("/data"):
        return "declaration"
    if path.startswith("/attachments"):
        return "documents"
    return "delivery"


@citizen_required
def review(code: str):
    """Step 5: everything entered, with links back to each step."""
    dossier = own_dossier(code)
    if (stop := _editable_or_redirect(dossier)) is not None:
        return stop
    locale = current_locale()
    return render_template("dossiers/citizen/review.html", dossier=dossier, step="review",
                           problem_step=problem_step, title=procedure_title(dossier.procedure, locale),
                           **_review_context(dossier, locale))


def _submit_limit() -> str:
    return current_app.config.get("SUBMIT_RATE_LIMIT", "10 per minute")


@citizen_required
@limiter.limit(_submit_limit, methods=["POST"])
def submit(code: str):
    """Step 6: captcha, the pledge, then submit; a repeated post lands on the same success page."""
    dossier = own_dossier(code)
    if not Status(dossier.status).editable and dossier.submitted_at and dossier.status != Status.WITHDRAWN:
        return redirect(url_for("filing.submitted", code=code))
    if (stop := _editable_or_redirect(dossier)) is not None:
        return stop
    form = SubmitForm()
    if form.is_submitted() and not captcha.refresh_requested():
        valid = form.validate()
        if captcha.accepted(form) and valid:
            try:
                dossier_ops.submit_dossier(current_user, dossier)
            except DossierError as exc:
                flash(exc.message, "error")
                return redirect(url_for("filing.review", code=code))
            return redirect(url_for("filing.submitted", code=code))
    form.captcha_id.data = captcha.new_challenge(replacing=form.captcha_id.data)
    form.captcha.data = ""
    return render_template("dossiers/citizen/submit.html", dossier=dossier, form=form, step="submit",
                           title=procedure_title(dossier.procedure, current_locale()))


@citizen_required
def submitted(code: str):
    """The success page: the code and what happens next."""
    dossier = own_dossier(code)
    if dossier.submitted_at is None:
        return redirect(url_for("filing.dossier", code=code))
    return render_template("dossiers/citizen/submitted.html", dossier=dossier,
                           title=procedure_title(dossier.procedure, current_locale()))
