"""URL rules of the transparency pages in one place: the public ones and the auditors'."""
from __future__ import annotations

from flask import Blueprint, Flask

from app.transparency import counts  # noqa: F401 - registers the counting observer
from app.transparency.controllers import auditor, public

public_bp = Blueprint("transparency", __name__, template_folder="templates")
public_bp.add_url_rule("/public/dossiers", "dossiers", public.dossiers)
public_bp.add_url_rule("/public/stats", "stats", public.stats)
public_bp.add_url_rule("/public/stats.csv", "stats_csv", public.stats_download,
                       defaults={"fmt": "csv"})
public_bp.add_url_rule("/public/stats.json", "stats_json", public.stats_download,
                       defaults={"fmt": "json"})
public_bp.add_url_rule("/public/digests", "digests", public.digests_page)
public_bp.add_app_template_filter(public.share, "share")

audit_bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")
audit_bp.add_url_rule("/dossiers", "dossiers", auditor.dossiers)
audit_bp.add_url_rule("/dossiers.csv", "export", auditor.export)
audit_bp.add_url_rule("/dossiers/<code>", "dossier", auditor.dossier)
audit_bp.add_url_rule("/access-log", "access_log", auditor.access_log)


def register(app: Flask) -> None:
    for blueprint in (public_bp, audit_bp):
        app.register_blueprint(blueprint)
