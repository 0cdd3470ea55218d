"""Blueprint and helpers shared by the wizard and the tracking pages."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db

bp = Blueprint("filing", __name__)

STEPS = ("start", "declaration", "documents", "delivery", "review", "submit")


def citizen_required(view):
    """Logged-in users only; others go to the login page and come back here."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            target = request.full_path if request.method == "GET" else request.path
            return redirect(url_for("accounts.login", next=target.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


def own_dossier(code: str) -> Dossier:
    """The current user's dossier with this code; 404 for anybody else's (scope in the query)."""
    dossier = db.session.scalar(select(Dossier).where(
        Dossier.code == code, Dossier.applicant_id == current_user.id))
    if dossier is None:
        abort(404)
    return dossier


def procedure_title(procedure, locale: str) -> str:
    return procedure.name_en if locale == "en" and procedure.name_en else procedure.name
