"""/audit: auditors (and administrators) read every dossier; administrators read who looked.
Read-only by construction: GET routes only, no operation is called."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.access import log_access
from app.core.api import ApiError
from app.core.pagination import CursorError
from app.dossiers.controllers.officer_page import action_labels, readonly_form
from app.dossiers.filters import get_visible_dossier
from app.dossiers.status import Status
from app.security.names import full_name
from app.security.scope import ADMIN, AUDITOR, has_role
from app.transparency import auditing
from app.transparency.filters import PublicFilters, choices, parse_filters


def _only(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path))
            if not has_role(current_user, *roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorator


def _filters() -> tuple[PublicFilters, dict[str, str]]:
    try:
        return parse_filters(request.args), {}
    except ApiError as exc:
        return PublicFilters(), {e["path"].lstrip("/"): e["message"] for e in exc.errors}


def _cursor() -> str | None:
    return request.args.get("after") or None


@_only(AUDITOR, ADMIN)
def dossiers():
    """Every filed dossier, newest first; no personal data on the list itself."""
    filters, errors = _filters()
    code = request.args.get("code", "")
    try:
        result = auditing.page(current_user, filters, _cursor(), code)
    except CursorError:
        result = auditing.page(current_user, filters, None, code)
    return render_template("transparency/audit_dossiers.html", rows=result.items,
                           next_cursor=result.next_cursor, filters=filters, errors=errors,
                           code=code, options=choices(filters), statuses=[s for s in Status if s.public],
                           month=request.args.get("month", ""),
                           limit=current_app.config.get("AUDIT_EXPORT_LIMIT", 10000))


@_only(AUDITOR, ADMIN)
def dossier(code: str):
    """One dossier: declaration, contact, files, the full history with its chain checked."""
    found = get_visible_dossier(current_user, code)
    if found is None or found.status == Status.DRAFT:
        abort(404)
    reason = request.args.get("reason", "")
    log_access("view", found.code, "audit dossier page", reason)
    return render_template("transparency/audit_dossier.html", dossier=found,
                           form_html=readonly_form(found), chain=auditing.chain_report(found),
                           head_ok=auditing.head_ok(found), applicant=full_name(found.applicant),
                           labels=action_labels(), reason=reason, full_name=full_name)


@_only(AUDITOR, ADMIN)
def export():
    """The filtered dossiers with their personal data as CSV; the export is logged."""
    filters, errors = _filters()
    if errors:
        abort(422)
    limit = current_app.config.get("AUDIT_EXPORT_LIMIT", 10000)
    body, count = auditing.export_csv(current_user, filters, limit)
    described = ", ".join(f"{k}={v}" for k, v in filters.args().items()) or _("all dossiers")
    log_access("export", "", f"CSV export of {count} dossiers ({described})",
               request.args.get("reason", ""))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = "attachment; filename=motcua-dossiers.csv"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@_only(ADMIN)
def access_log():
    """Who viewed or exported whose personal data, newest first (administrators only)."""
    username, code = request.args.get("user", ""), request.args.get("code", "")
    try:
        result = auditing.access_page(_cursor(), username, code)
    except CursorError:
        result = auditing.access_page(None, username, code)
    return render_template("transparency/access_log.html", rows=result.items,
                           next_cursor=result.next_cursor, username=username, code=code)
