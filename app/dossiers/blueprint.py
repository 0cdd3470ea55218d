"""URL rules of the dossier domain in one place: the citizen's, the officer's, the shared ones."""
from __future__ import annotations

from flask import Blueprint, Flask

from app.core.moments import clock_text
from app.dossiers.controllers import citizen, counter, files, officer, verify, wizard
from app.dossiers.history import supplement_request
from app.dossiers.status import status_label

GET_POST = ["GET", "POST"]

citizen_bp = Blueprint("filing", __name__, template_folder="templates")
citizen_bp.add_url_rule("/file/<procedure_code>", "start", wizard.start, methods=GET_POST)
citizen_bp.add_url_rule("/my/dossiers/<code>/declaration", "declaration", wizard.declaration,
                        methods=GET_POST)
citizen_bp.add_url_rule("/my/dossiers/<code>/documents", "documents", wizard.documents,
                        methods=GET_POST)
citizen_bp.add_url_rule("/my/dossiers/<code>/delivery", "delivery", wizard.delivery,
                        methods=GET_POST)
citizen_bp.add_url_rule("/my/dossiers/<code>/review", "review", wizard.review)
citizen_bp.add_url_rule("/my/dossiers/<code>/submit", "submit", wizard.submit, methods=GET_POST)
citizen_bp.add_url_rule("/my/dossiers/<code>/submitted", "submitted", wizard.submitted)
citizen_bp.add_url_rule("/my/dossiers", "my_dossiers", citizen.my_dossiers)
citizen_bp.add_url_rule("/my/claim", "claim", counter.claim, methods=GET_POST)
citizen_bp.add_url_rule("/my/dossiers/<code>", "dossier", citizen.dossier)
citizen_bp.add_url_rule("/my/dossiers/<code>/withdraw", "withdraw", citizen.withdraw,
                        methods=["POST"])
citizen_bp.add_url_rule("/my/dossiers/<code>/files/<int:attachment_id>", "attachment_file",
                        citizen.attachment_file)
citizen_bp.add_url_rule("/my/dossiers/<code>/papers/<kind>.pdf", "paper", citizen.paper)
citizen_bp.add_url_rule("/my/dossiers/<code>/results/<int:result_id>", "result_file",
                        citizen.result_file)

officer_bp = Blueprint("backoffice", __name__, url_prefix="/backoffice",
                       template_folder="templates")
officer_bp.add_url_rule("/", "queue", officer.queue)
officer_bp.add_url_rule("/dossiers/<code>", "dossier", officer.dossier)
officer_bp.add_url_rule("/counter", "counter", counter.start, methods=GET_POST)
officer_bp.add_url_rule("/counter/<code>", "counter_dossier", counter.fill, methods=GET_POST)
officer_bp.add_url_rule("/register", "register", counter.register)
officer_bp.add_url_rule("/dossiers/<code>/actions", "act", officer.act, methods=["POST"])
officer_bp.add_url_rule("/dossiers/<code>/attachments/<int:attachment_id>", "attachment",
                        officer.attachment)

files_bp = Blueprint("dossier_files", __name__)
files_bp.add_url_rule("/documents/<code>/<kind>.pdf", "paper", files.paper)
files_bp.add_url_rule("/documents/<code>/results/<int:result_id>", "result", files.result)
files_bp.add_url_rule("/dossiers/<code>/rating", "rating", files.rating, methods=GET_POST)

public_bp = Blueprint("verification", __name__, template_folder="templates")
public_bp.add_url_rule("/public/verify/<public_id>", "verify", verify.verify_page, methods=GET_POST)


def register(app: Flask) -> None:
    for blueprint in (citizen_bp, officer_bp, files_bp, public_bp):
        app.register_blueprint(blueprint)
    app.add_template_filter(status_label, "status_label")
    app.add_template_filter(clock_text, "clock_text")
    app.add_template_global(supplement_request, "supplement_request")
