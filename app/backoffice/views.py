"""Officer screens under /backoffice: the queue, the dossier page, actions, files."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.backoffice.actions import action_panels, action_params
from app.backoffice.queue import DUE_WINDOWS, QueueFilters, load_queue, procedures_in_scope
from app.dossiers import lifecycle
from app.dossiers.models import STATUSES, Attachment, Dossier
from app.dossiers.operations import ConflictError, DossierError, get_visible_dossier, perform_action
from app.dossiers.results import read_file
from app.extensions import db, limiter
from app.security.scope import ADMIN, AUDITOR, OFFICER, can_act_as_officer, has_role

bp = Blueprint("backoffice", __name__, url_prefix="/backoffice")
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


@bp.app_template_filter("bo_datetime")
def bo_datetime(value: Any) -> str:
    """A stored UTC time as Vietnam local 'HH:MM dd/mm/yyyy'."""
    import datetime as dt

    from app.workdays import LOCAL_TZ

    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")


def staff_required(view: Callable) -> Callable:
    """Officers, admins and auditors only; others log in or get 403."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        if not current_user.is_authenticated:
            return redirect(url_for("AuthDBView.login", next=request.full_path))
        if not has_role(current_user, OFFICER, ADMIN, AUDITOR):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def _dossier_or_404(code: str) -> Dossier:
    dossier = get_visible_dossier(current_user, code)
    if dossier is None:
        abort(404)
    return dossier


@bp.route("/")
@staff_required
def queue():
    """The work queue of the officer's units."""
    filters = QueueFilters.from_args(request.args)
    rows, counts, total = load_queue(current_user, filters)
    return render_template(
        "backoffice/queue.html", rows=rows, counts=counts, total=total, filters=filters,
        statuses=[s for s in STATUSES if s != "draft"], labels=lifecycle.STATUS_LABELS,
        procedures=procedures_in_scope(current_user), due_windows=DUE_WINDOWS,
    )


def _render_dossier(dossier: Dossier, *, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, open_action: str = "",
                    status: int = 200):
    from app.backoffice.page import dossier_page_context

    context = dossier_page_context(dossier, current_user)
    can_act = can_act_as_officer(current_user, dossier)
    panels = action_panels(dossier, current_user) if can_act else []
    return render_template("backoffice/dossier.html", dossier=dossier, panels=panels,
                           errors=errors or {}, values=values or {}, open_action=open_action,
                           labels=lifecycle.STATUS_LABELS, **context), status


@bp.route("/dossiers/<code>")
@staff_required
def dossier(code: str):
    """Everything about one dossier, and the actions allowed now."""
    return _render_dossier(_dossier_or_404(code))


@bp.route("/dossiers/<code>/actions", methods=["POST"])
@staff_required
@limiter.limit("30 per minute")
def act(code: str):
    """Apply one action; on a conflict show the new state, on bad input keep what was typed."""
    dossier = _dossier_or_404(code)
    action = request.form.get("action", "")
    note = request.form.get("note", "")
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = None
    try:
        perform_action(current_user, dossier, action, note=note, expected_version=version,
                       **action_params(action, request.form, request.files))
    except ConflictError as exc:
        db.session.expire_all()
        flash(exc.message + " " + _("The page now shows the current state."), "danger")
        return redirect(url_for(".dossier", code=code))
    except DossierError as exc:
        if exc.status in (403, 404):
            abort(exc.status)
        db.session.expire_all()
        fresh = _dossier_or_404(code)
        errors = {e["path"].lstrip("/"): e["message"] for e in exc.errors}
        if not errors:
            errors["_"] = exc.message
        values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "version")}
        values["items_list"] = request.form.getlist("items")
        return _render_dossier(fresh, errors=errors, values=values, open_action=action,
                               status=409 if exc.status == 409 else 422)
    label = lifecycle.TRANSITIONS[action].label
    flash(_("Done: %(action)s.", action=str(label)), "success")
    return redirect(url_for(".dossier", code=code))


def _send(data: bytes, content_type: str, filename: str, inline: bool) -> Response:
    disposition = "inline" if inline and content_type in INLINE_TYPES else "attachment"
    response = Response(data, mimetype=content_type)
    from urllib.parse import quote

    response.headers["Content-Disposition"] = \
        f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; " \
        "object-src 'self'; plugin-types application/pdf"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/dossiers/<code>/attachments/<int:attachment_id>")
@staff_required
def attachment(code: str, attachment_id: int):
    """An attached file, inline (?inline=1) or as a download; scope checked first."""
    dossier = _dossier_or_404(code)
    item = db.session.get(Attachment, attachment_id)
    if item is None or item.dossier_id != dossier.id:
        abort(404)
    data = read_file(item.storage_key)
    if data is None:
        abort(404)
    return _send(data, item.content_type, item.filename, request.args.get("inline") == "1")


def register(app) -> None:
    """Attach the officer screens and the shared document routes to the app."""
    from app.backoffice.citizen import bp as citizen_bp

    app.register_blueprint(bp)
    app.register_blueprint(citizen_bp)
