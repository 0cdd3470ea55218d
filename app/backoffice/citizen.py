"""Routes shared with citizens: official papers, result files, the satisfaction rating."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.documents.papers import PAPERS, available_papers
from app.dossiers.models import ResultDocument
from app.dossiers.operations import DossierError, get_visible_dossier
from app.dossiers.ratings import can_rate, rate_dossier
from app.dossiers.results import read_file
from app.extensions import db, limiter
from app.security.scope import sees_internal

bp = Blueprint("dossier_files", __name__)


def _visible(code: str):
    if not current_user.is_authenticated:
        abort(404)
    dossier = get_visible_dossier(current_user, code)
    if dossier is None:
        abort(404)
    return dossier, sees_internal(current_user, dossier)


@bp.route("/documents/<code>/<kind>.pdf")
@limiter.limit("60 per minute")
def paper(code: str, kind: str):
    """An official paper as PDF; citizens get only those addressed to them."""
    from app.backoffice.views import _send

    dossier, staff = _visible(code)
    if kind not in PAPERS or kind not in available_papers(dossier, citizen=not staff):
        abort(404)
    builder, stem, _public, _ready = PAPERS[kind]
    return _send(builder(dossier), "application/pdf", f"{stem}-{dossier.code}.pdf",
                 request.args.get("download") != "1")


@bp.route("/documents/<code>/results/<int:result_id>")
def result(code: str, result_id: int):
    """The result document; the citizen may have it once the result is ready."""
    from app.backoffice.views import _send

    dossier, staff = _visible(code)
    document = db.session.get(ResultDocument, result_id)
    if document is None or document.dossier_id != dossier.id:
        abort(404)
    if not staff and dossier.status not in ("result_ready", "returned"):
        abort(404)
    data = read_file(document.storage_key)
    if data is None:
        abort(404)
    return _send(data, document.content_type, document.filename, request.args.get("download") != "1")


@bp.route("/dossiers/<code>/rating", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def rating(code: str):
    """The citizen rates a returned dossier once (1-5 stars and a comment)."""
    if not current_user.is_authenticated:
        return redirect(url_for("AuthDBView.login", next=request.full_path))
    dossier, _staff = _visible(code)
    if dossier.applicant_id != current_user.id:
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
    return render_template("backoffice/rating.html", dossier=dossier, errors=errors,
                           values=values, open=can_rate(current_user, dossier),
                           status=422 if errors else 200), 422 if errors else 200
