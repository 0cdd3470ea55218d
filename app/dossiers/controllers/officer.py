"""Officer screens under /backoffice: the queue, the dossier page, actions, files."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import log_access
from app.dossiers import lifecycle
from app.dossiers.controllers.access import file_response, staff_required, visible_or_404
from app.dossiers.controllers.officer_page import dossier_page_context
from app.dossiers.errors import ConflictError, DossierError
from app.dossiers.filters import can_see, is_unit_officer
from app.dossiers.models import Attachment, Dossier
from app.dossiers.operations import perform_action
from app.dossiers.panels import action_panels, action_params
from app.dossiers.queue import DUE_WINDOWS, QueueFilters, load_queue, procedures_in_scope
from app.dossiers.results import read_file
from app.dossiers.status import Status, status_label
from app.extensions import db, limiter


@staff_required
def queue():
    """The work queue of the officer's units."""
    filters = QueueFilters.from_args(request.args)
    rows, counts, next_cursor = load_queue(current_user, filters)
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    # Per row, the link is the one prefix and the code, the label a lookup: url_for and the
    # label's filter, fifty times over, were a fifth of the page.
    prefix = url_for("backoffice.dossier", code="-")[:-1]
    return render_template(
        "dossiers/officer/queue.html", rows=rows, counts=counts, total=total, filters=filters,
        next_cursor=next_cursor, detail_prefix=prefix,
        labels={s.value: status_label(s.value) for s in Status},
        statuses=[s for s in Status if s.public],
        procedures=procedures_in_scope(current_user), due_windows=DUE_WINDOWS,
    )


def _render_dossier(dossier: Dossier, *, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, open_action: str = "",
                    status: int = 200):
    context = dossier_page_context(dossier, current_user)
    can_act = is_unit_officer(current_user, dossier)
    panels = action_panels(dossier, current_user) if can_act else []
    return render_template("dossiers/officer/dossier.html", dossier=dossier, panels=panels,
                           errors=errors or {}, values=values or {}, open_action=open_action,
                           **context), status


@staff_required
def dossier(code: str):
    """Everything about one dossier, and the actions allowed now (the access is logged)."""
    found = visible_or_404(code)
    log_access("view", found.code, "backoffice dossier page", request.args.get("reason", ""))
    return _render_dossier(found)


@staff_required
@limiter.limit("30 per minute")
def act(code: str):
    """Apply one action; on a conflict show the new state, on bad input keep what was typed."""
    dossier = visible_or_404(code)
    action = request.form.get("action", "")
    note = request.form.get("note", "")
    shown = request.form.get("version", "")
    # Every panel sends the version it was drawn from; a form without one never acts blindly:
    # version 0 matches no dossier, so the gate answers its usual conflict (after 403/404).
    version = int(shown) if shown.isdigit() and len(shown) < 10 else 0
    try:
        perform_action(current_user, dossier, action, note=note, expected_version=version,
                       **action_params(action, request.form, request.files))
    except ConflictError as exc:
        flash(exc.message + " " + _("The page now shows the current state."), "danger")
        return redirect(url_for(".dossier", code=code))
    except DossierError as exc:
        if exc.status in (403, 404):
            abort(exc.status)
        db.session.expire_all()
        fresh = visible_or_404(code)
        errors = {e["path"].lstrip("/"): e["message"] for e in exc.errors}
        if not errors:
            errors["_"] = exc.message
        values = {k: v for k, v in request.form.items() if k not in ("csrf_token", "version")}
        values["items_list"] = request.form.getlist("items")
        return _render_dossier(fresh, errors=errors, values=values, open_action=action,
                               status=409 if exc.status == 409 else 422)
    label = lifecycle.TRANSITIONS[action].label
    flash(_("Done: %(action)s.", action=str(label)), "success")
    if not can_see(current_user, dossier):  # forwarded to a unit that is not theirs
        return redirect(url_for(".queue"))
    return redirect(url_for(".dossier", code=code))


@staff_required
def attachment(code: str, attachment_id: int):
    """An attached file, inline (?inline=1) or as a download; scope checked first."""
    dossier = visible_or_404(code)
    item = db.session.get(Attachment, attachment_id)
    if item is None or item.dossier_id != dossier.id:
        abort(404)
    data = read_file(item.storage_key)
    if data is None:
        abort(404)
    log_access("download", dossier.code, f"attachment {item.id} ({item.document_key})")
    return file_response(data, item.content_type, item.filename, request.args.get("inline") == "1")
