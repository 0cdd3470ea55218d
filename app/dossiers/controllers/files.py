"""Routes shared with citizens: official papers, result files, the satisfaction rating."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import log_access
from app.dossiers.controllers.access import file_response, visible_or_404
from app.dossiers.errors import DossierError
from app.dossiers.filters import is_owner, sees_internal
from app.dossiers.models import ResultDocument, SatisfactionRating
from app.dossiers.papers import PAPERS, available_papers
from app.dossiers.ratings import can_rate, rate_dossier
from app.dossiers.results import log_download, read_file
from app.dossiers.status import Status
from app.extensions import db, limiter


def _visible(code: str):
    dossier = visible_or_404(code)
    return dossier, sees_internal(current_user, dossier)


@limiter.limit("60 per minute")
def paper(code: str, kind: str):
    """An official paper as PDF; citizens get only those addressed to them."""
    dossier, staff = _visible(code)
    if kind not in PAPERS or kind not in available_papers(dossier, citizen=not staff):
        abort(404)
    builder, stem, _public, _ready = PAPERS[kind]
    if staff:
        log_access("download", dossier.code, f"paper {kind}")
    return file_response(builder(dossier, staff=staff), "application/pdf", f"{stem}-{dossier.code}.pdf",
                 request.args.get("download") != "1")


def result(code: str, result_id: int):
    """The result document; the citizen may have it once the result is ready."""
    dossier, staff = _visible(code)
    document = db.session.get(ResultDocument, result_id)
    if document is None or document.dossier_id != dossier.id:
        abort(404)
    if not staff and not Status(dossier.status).result_available:
        abort(404)
    data = read_file(document.storage_key)
    if data is None:
        abort(404)
    log_download(dossier, document, current_user)
    if staff:
        log_access("download", dossier.code, f"result {document.id}")
    return file_response(data, document.content_type, document.filename, request.args.get("download") != "1")


@limiter.limit("10 per minute", methods=["POST"])
def rating(code: str):
    """The citizen rates a returned dossier once (1-5 stars and a comment)."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path))
    dossier, _staff = _visible(code)
    if not is_owner(current_user, dossier):
        abort(404)
    errors, values = {}, {}
    if request.method == "POST":
        values = {"score": request.form.get("score", ""), "comment": request.form.get("comment", "")}
        try:
            rate_dossier(current_user, dossier, values["score"], values["comment"])
        except DossierError as exc:
            errors = {e["path"].lstrip("/"): e["message"] for e in exc.errors} or {"_": exc.message}
        else:
            flash(_("Thank you for your rating."), "success")
            return redirect(url_for(".rating", code=code))
    given = db.session.query(SatisfactionRating).filter_by(dossier_id=dossier.id).first()
    return render_template("dossiers/officer/rating.html", dossier=dossier, errors=errors,
                           values=values, open=can_rate(current_user, dossier), rating=given,
                           status=422 if errors else 200), 422 if errors else 200
