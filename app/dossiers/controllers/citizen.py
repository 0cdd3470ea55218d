"""My dossiers: list, detail with the citizen-visible timeline, withdraw, downloads."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.api import ApiError
from app.core.locale import current_locale
from app.dossiers import attachments, fees, lifecycle, submission
from app.dossiers import operations as dossier_ops
from app.dossiers.controllers.access import citizen_required, file_response, own_dossier, procedure_title
from app.dossiers.effects import tracking_url
from app.dossiers.errors import DossierError
from app.dossiers.forms import WithdrawForm
from app.dossiers.linked import parts
from app.dossiers.listing import newest_first
from app.dossiers.models import Dossier, DossierEvent, ResultDocument
from app.dossiers.papers import PAPER_TITLES, PAPERS, available_papers
from app.dossiers.ratings import can_rate
from app.dossiers.results import log_download, read_file
from app.dossiers.status import PAYMENT_LABELS, STATUSES, Status
from app.extensions import db
from app.security.scope import ADMIN, CITIZEN, STAFF, has_role

PAGE_SIZE = 20


def event_label(action: str) -> str:
    # The citizen reads "Submitted" where the officer's button says "Submit".
    if action == "submit":
        return _("Submitted")
    if action == "pay":
        return _("Fee paid")
    return lifecycle.event_label(action)


@citizen_required
def my_dossiers():
    if not has_role(current_user, CITIZEN) and has_role(current_user, *STAFF):
        if has_role(current_user, ADMIN):  # the README: administrators work from /admin/
            return redirect(url_for("AdminIndexView.index"))
        return redirect(url_for("backoffice.queue"))  # officers and auditors land on their queue
    stmt = select(Dossier).where(Dossier.applicant_id == current_user.id)
    status = request.args.get("status", "")
    if status in STATUSES:
        stmt = stmt.where(Dossier.status == status)
    after = request.args.get("after") or None
    try:
        page = newest_first(stmt, after, PAGE_SIZE)
    except ApiError:  # a link that was tampered with: start again
        return redirect(url_for("filing.my_dossiers", status=status or None))
    return render_template("dossiers/citizen/my_dossiers.html", dossiers=page.items,
                           next_cursor=page.next_cursor, after=after, statuses=STATUSES,
                           locale=current_locale(), procedure_title=procedure_title, status=status)


def papers_for(dossier: Dossier) -> list[tuple[str, str]]:
    """(kind, title) of the official papers addressed to the citizen that exist now."""
    return [(kind, PAPER_TITLES.get(kind, kind)) for kind in available_papers(dossier, citizen=True)]


def results_for(dossier: Dossier) -> list:
    """Result documents once the result is ready (delivered online or as a copy), until the
    retention period erased their files."""
    if not Status(dossier.status).result_available or dossier.anonymised_at is not None:
        return []
    return list(db.session.scalars(select(ResultDocument).where(ResultDocument.dossier_id == dossier.id)))


@citizen_required
def dossier(code: str):
    return _dossier_page(own_dossier(code), WithdrawForm())


def _dossier_page(item: Dossier, withdraw_form: WithdrawForm, status: int = 200):
    """The citizen's page of a dossier: status, what the office asks, timeline, files."""
    events = db.session.scalars(select(DossierEvent).where(
        DossierEvent.dossier_id == item.id, DossierEvent.public.is_(True)).order_by(DossierEvent.id)).all()
    supplement = next((e for e in reversed(events) if e.action == "request_supplement"), None)
    locale = current_locale()
    approval = next((e for e in reversed(events) if e.action == "approve"), None)
    can_withdraw = lifecycle.allowed("withdraw", item.status, lifecycle.OWNER)
    return render_template(
        "dossiers/citizen/dossier.html", dossier=item, events=events, event_label=event_label,
        fee_sections=fees.page_sections(item, current_user, "citizen"), item_label=fees.item_label,
        money=fees.money, locale=locale, payment_labels=PAYMENT_LABELS,
        tracking_url=tracking_url(item.tracking_number), carrier=current_app.config.get("POSTAL_CARRIER"),
        supplement=supplement if item.status == "needs_supplement" else None,
        result_text=(approval.payload or {}).get("result_text") if approval else None,
        can_rate=can_rate(current_user, item), parts=parts(item),
        can_withdraw=can_withdraw, withdraw_form=withdraw_form, papers=papers_for(item),
        results=results_for(item), titles=attachments.document_titles(item, locale),
        title=procedure_title(item.procedure, locale),
        readonly=submission.compiled_form(item).render_readonly(item.data or {}, locale)), status


@citizen_required
def withdraw(code: str):
    item = own_dossier(code)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _dossier_page(item, form, 422)  # not confirmed: say so beside the box
    try:
        dossier_ops.withdraw_dossier(current_user, item, form.note.data)
    except DossierError as exc:
        flash(exc.message, "error")
    else:
        flash(_("The dossier was withdrawn."), "success")
    return redirect(url_for("filing.dossier", code=code))


@citizen_required
def attachment_file(code: str, attachment_id: int):
    item = own_dossier(code)
    try:
        attachment = attachments.get_attachment(item, attachment_id)
    except DossierError:
        abort(404)
    return file_response(attachments.read_attachment(attachment), attachment.content_type,
                         attachment.filename)


@citizen_required
def paper(code: str, kind: str):
    item = own_dossier(code)
    if kind not in dict(papers_for(item)):
        abort(404)
    builder, stem = PAPERS[kind][0], PAPERS[kind][1]
    return file_response(builder(item), "application/pdf", f"{stem}-{item.code}.pdf")


@citizen_required
def result_file(code: str, result_id: int):
    item = own_dossier(code)
    document = next((r for r in results_for(item) if r.id == result_id), None)
    if document is None:
        abort(404)
    data = read_file(document.storage_key)
    if data is None:
        abort(404)
    log_download(item, document, current_user)
    return file_response(data, document.content_type, document.filename)
