"""/api/v1/public/documents/<id> — what an issued document is, and checking a file against it."""
from __future__ import annotations

from flask import current_app, request
from flask_appbuilder.api import expose
from flask_babel import gettext as _

from app.core.api import RestApi, body, error_response, ok
from app.dossiers.verification import check_file, issued_document, public_facts
from app.extensions import limiter


class DocumentPublicApi(RestApi):
    """Anyone may ask; the answers hold no personal data."""

    resource_name = "public"
    openapi_spec_tag = "Public"
    request_schemas = {"DocumentVerify": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}}}}

    @expose("/documents/<public_id>", methods=["GET"])
    def document(self, public_id: str):
        """An issued document: {"kind","unit","dossier_code","issued_at","sha256","signed"}.
        ---
        get:
          responses:
            200: {description: The document}
            404: {description: No such document}
        """
        document = issued_document(public_id)
        if document is None:
            return error_response(404, _("No document has this number."))
        return ok(public_facts(document))

    @expose("/documents/<public_id>/verify", methods=["POST"])
    @limiter.limit("20 per minute")
    @body("DocumentVerify", "multipart/form-data")
    def verify(self, public_id: str):
        """Check a file (multipart `file`) against the issued document: {"valid","reason"?}.
        ---
        post:
          responses:
            200: {description: '{"valid", "reason"?, "matches", "signature_valid"}'}
            404: {description: No such document}
            413: {description: Too big}
            422: {description: No file}
        """
        document = issued_document(public_id)
        if document is None:
            return error_response(404, _("No document has this number."))
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            return error_response(422, _("Some of the information is not valid."),
                                  [{"path": "/file", "message": _("Choose a file.")}])
        limit = current_app.config.get("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
        data = upload.read(limit + 1)
        if len(data) > limit:
            return error_response(413, _("The file is too large."))
        return ok(check_file(document, data).as_dict())
