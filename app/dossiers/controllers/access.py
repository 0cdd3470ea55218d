"""Who may open a page: login redirects, the staff check, and dossiers looked up in scope."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable
from urllib.parse import quote

from flask import Response, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.dossiers.filters import get_visible_dossier
from app.dossiers.models import Dossier
from app.extensions import db
from app.security.scope import STAFF, has_role


def login_required(view: Callable) -> Callable:
    """Logged-in users only; others go to the login page and come back here."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        if not current_user.is_authenticated:
            target = request.full_path if request.method == "GET" else request.path
            return redirect(url_for("accounts.login", next=target.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


citizen_required = login_required  # what a citizen may do is decided by the operations


def staff_required(view: Callable) -> Callable:
    """Officers, admins and auditors only; others log in or get 403."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path))
        if not has_role(current_user, *STAFF):
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def own_dossier(code: str) -> Dossier:
    """The current user's dossier with this code; 404 for anybody else's (scope in the query)."""
    dossier = db.session.scalar(select(Dossier).where(
        Dossier.code == code, Dossier.applicant_id == current_user.id))
    if dossier is None:
        abort(404)
    return dossier


def visible_or_404(code: str) -> Dossier:
    """A dossier the current user may see, else 404."""
    dossier = get_visible_dossier(current_user, code) if current_user.is_authenticated else None
    if dossier is None:
        abort(404)
    return dossier


def procedure_title(procedure: Any, locale: str) -> str:
    return procedure.name_en if locale == "en" and procedure.name_en else procedure.name


INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def file_response(data: bytes, content_type: str, filename: str, inline: bool = False) -> Response:
    """A stored file, never executable by the browser and never kept in a shared cache."""
    disposition = "inline" if inline and content_type in INLINE_TYPES else "attachment"
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename, safe='')}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = ("sandbox; default-src 'none'; img-src 'self'; "
                                                   "object-src 'self'")
    response.headers["Cache-Control"] = "private, no-store"
    return response
