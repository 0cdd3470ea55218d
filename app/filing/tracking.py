"""My dossiers: list, detail with the citizen-visible timeline, withdraw, downloads."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.dossiers import attachments, filing, lifecycle
from app.dossiers import operations as dossier_ops
from app.dossiers.filing import current_locale
from app.dossiers.models import Dossier, DossierEvent
from app.extensions import db
from app.filing.common import bp, citizen_required, own_dossier, procedure_title
from app.filing.forms import WithdrawForm

PAGE_SIZE = 20


def event_label(action: str) -> str:
    # The citizen reads "Submitted" where the officer's button says "Submit".
    return _("Submitted") if action == "submit" else lifecycle.event_label(action)


def _file_response(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename, safe='')}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})


@bp.route("/my/dossiers")
@citizen_required
def my_dossiers():
    page = max(1, request.args.get("page", 1, type=int) or 1)
    stmt = select(Dossier).where(Dossier.applicant_id == current_user.id)
    if request.args.get("status") in lifecycle.STATUS_LABELS:
        stmt = stmt.where(Dossier.status == request.args["status"])
    rows = db.session.scalars(stmt.order_by(Dossier.created_at.desc(), Dossier.id.desc())
                              .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return render_template("portal/filing/my_dossiers.html", dossiers=rows[:PAGE_SIZE], page=page,
                           has_next=len(rows) > PAGE_SIZE, labels=lifecycle.STATUS_LABELS,
                           locale=current_locale(), procedure_title=procedure_title,
                           status=request.args.get("status", ""))


def papers_for(dossier: Dossier) -> list[tuple[str, str]]:
    """(kind, title) of the official papers addressed to the citizen that exist now."""
    try:
        from app.documents.papers import PAPER_TITLES, available_papers
    except ImportError:  # the back office's papers are optional
        return []
    return [(kind, PAPER_TITLES.get(kind, kind)) for kind in available_papers(dossier, citizen=True)]


def results_for(dossier: Dossier) -> list:
    """Result documents once the result is ready (delivered online or as a copy)."""
    if dossier.status not in ("result_ready", "returned"):
        return []
    try:
        from app.dossiers.models import ResultDocument
    except ImportError:
        return []
    return list(db.session.scalars(select(ResultDocument).where(ResultDocument.dossier_id == dossier.id)))


@bp.route("/my/dossiers/<code>")
@citizen_required
def dossier(code: str):
    item = own_dossier(code)
    events = db.session.scalars(select(DossierEvent).where(
        DossierEvent.dossier_id == item.id, DossierEvent.public.is_(True)).order_by(DossierEvent.id)).all()
    supplement = next((e for e in reversed(events) if e.action == "request_supplement"), None)
    locale = current_locale()
    can_withdraw = lifecycle.allowed("withdraw", item.status, lifecycle.OWNER)
    return render_template(
        "portal/filing/dossier.html", dossier=item, events=events, event_label=event_label,
        labels=lifecycle.STATUS_LABELS, supplement=supplement if item.status == "needs_supplement" else None,
        can_withdraw=can_withdraw, withdraw_form=WithdrawForm(), papers=papers_for(item),
        results=results_for(item), titles=attachments.document_titles(item, locale),
        title=procedure_title(item.procedure, locale),
        readonly=filing.compiled_form(item).render_readonly(item.data or {}, locale))


@bp.route("/my/dossiers/<code>/withdraw", methods=["POST"])
@citizen_required
def withdraw(code: str):
    item = own_dossier(code)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            filing.withdraw_dossier(current_user, item, form.note.data)
        except dossier_ops.DossierError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(_("The dossier was withdrawn."), "success")
    return redirect(url_for("filing.dossier", code=code))


@bp.route("/my/dossiers/<code>/files/<int:attachment_id>")
@citizen_required
def attachment_file(code: str, attachment_id: int):
    item = own_dossier(code)
    try:
        attachment = attachments.get_attachment(item, attachment_id)
    except dossier_ops.DossierError:
        abort(404)
    return _file_response(attachments.read_attachment(attachment), attachment.filename,
                          attachment.content_type)


@bp.route("/my/dossiers/<code>/papers/<kind>.pdf")
@citizen_required
def paper(code: str, kind: str):
    item = own_dossier(code)
    if kind not in dict(papers_for(item)):
        abort(404)
    from app.documents.papers import PAPERS

    builder, stem = PAPERS[kind][0], PAPERS[kind][1]
    return _file_response(builder(item), f"{stem}-{item.code}.pdf", "application/pdf")


@bp.route("/my/dossiers/<code>/results/<int:result_id>")
@citizen_required
def result_file(code: str, result_id: int):
    item = own_dossier(code)
    document = next((r for r in results_for(item) if r.id == result_id), None)
    if document is None:
        abort(404)
    from app.dossiers.results import read_file

    data = read_file(document.storage_key)
    if data is None:
        abort(404)
    return _file_response(data, document.filename, document.content_type)
