"""The public verification page of issued results (/public/verify/<id>), the QR code's target."""
from __future__ import annotations

from flask import abort, current_app, render_template, request

from app.dossiers.verification import check_file, issued_document, public_facts
from app.extensions import limiter


@limiter.limit("20 per minute", methods=["POST"])
def verify_page(public_id: str):
    """Who issued what, when; upload the file you were given to check it."""
    document = issued_document(public_id)
    if document is None:
        abort(404)
    result, error, status = None, None, 200
    if request.method == "POST":
        upload = request.files.get("file")
        limit = current_app.config.get("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
        data = upload.read(limit + 1) if upload is not None and upload.filename else b""
        if not data:
            error, status = "empty", 422
        elif len(data) > limit:
            error, status = "large", 413
        else:
            result = check_file(document, data)
    return render_template("dossiers/public/verify.html", facts=public_facts(document),
                           result=result, error=error, limit_mb=limit_mb()), status


def limit_mb() -> int:
    return current_app.config.get("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024) // (1024 * 1024)
