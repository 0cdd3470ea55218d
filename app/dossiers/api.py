"""JSON API of dossiers (CONTRACT.md): thin endpoints over app.dossiers.operations."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, g, request
from flask_appbuilder.api import expose
from flask_appbuilder.security.decorators import protect
from flask_babel import gettext as _

from app.core.access import log_access
from app.core.api import ApiError, RestApi, body, handled, invalid, iso, ok, query_enum
from app.dossiers import attachments, idempotency, operations
from app.dossiers.filters import (
    acting,
    filing,
    get_visible_dossier,
    is_owner,
    may_edit,
    sees_internal,
)
from app.dossiers.listing import api_page
from app.dossiers.schemas import SCHEMAS, parsed_action, parsed_body
from app.dossiers.serializers import dossier_detail
from app.dossiers.status import STATUSES


def _visible(code: str, *loads):
    dossier = get_visible_dossier(g.user, code, *loads)
    if dossier is None:
        raise ApiError(404, _("Dossier not found."))
    return dossier


def _own(code: str, *loads):
    """The caller's own dossier; anybody else's answers 404."""
    dossier = _visible(code, *loads)
    if not is_owner(g.user, dossier):
        raise ApiError(404, _("Dossier not found."))
    return dossier


def _editable(code: str, *loads):
    """A dossier the caller may change: their own, or one their unit takes at the counter."""
    dossier = _visible(code, *loads)
    if not may_edit(g.user, dossier):
        raise ApiError(404, _("Dossier not found."))
    return dossier


def _new_dossier(payload: dict) -> operations.NewDossier:
    contact, delivery = payload.get("contact") or {}, payload.get("delivery") or {}
    return operations.NewDossier(
        procedure_code=payload["procedure"], unit_code=payload["unit"],
        data=payload.get("data") or {}, phone=contact.get("phone") or "",
        email=contact.get("email") or "", delivery_method=delivery.get("method") or "office",
        delivery_address=delivery.get("address") or {},
        idempotency_key=idempotency.request_key(),
        exemption=(payload.get("fee") or {}).get("exemption") or None)


class DossierApi(RestApi):
    """/api/v1/dossiers — citizens file, officers act; scope is in every query."""

    resource_name = "dossiers"
    openapi_spec_tag = "Dossiers"
    class_permission_name = "Dossier"
    method_permission_name = {"create": "write", "get": "read", "list": "read",
                              "action": "write", "update": "write", "attach": "write",
                              "detach": "write", "download": "read", "submit": "write"}
    base_permissions = ["can_read", "can_write"]
    request_schemas = SCHEMAS

    @expose("/", methods=["POST"])
    @protect()
    @handled
    @body("DossierCreate")
    def create(self):
        """Create a draft dossier (citizen); honours Idempotency-Key.
        ---
        post:
          parameters:
          - {in: header, name: Idempotency-Key, schema: {type: string, maxLength: 100}}
          responses:
            201: {description: Created}
            200: {description: The dossier created earlier with the same Idempotency-Key and the same body}
            403: {description: Only citizens file dossiers}
            422: {description: Field errors, or an Idempotency-Key already used with a different body}
            503: {description: The database is unavailable; retry after Retry-After seconds with the same Idempotency-Key}
        """
        operations.ensure_may_file(g.user)
        dossier, created = operations.create_dossier(g.user, _new_dossier(parsed_body("DossierCreate")))
        return ok({"code": dossier.code, "status": dossier.status}, 201 if created else 200)

    @expose("/", methods=["GET"])
    @protect()
    @handled
    @query_enum("status", STATUSES)
    def list(self):
        """Dossiers the caller may see, newest first, a page at a time (keyset: `after`).
        ---
        get:
          parameters:
          - {in: query, name: status, schema: {type: string}}
          - {in: query, name: unit, schema: {type: string}}
          - {in: query, name: after, schema: {type: string}, description: next_cursor of the previous page}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          responses:
            200: {description: Dossiers}
        """
        return ok(api_page(g.user, request.args))

    @expose("/<code>", methods=["GET"])
    @protect()
    @handled
    def get(self, code: str):
        """One dossier with its citizen-visible events (404 when out of scope).
        ---
        get:
          responses:
            200: {description: The dossier}
            404: {description: Not found}
        """
        dossier = _visible(code)
        internal = sees_internal(g.user, dossier)
        if internal:  # staff reading a dossier's personal data: logged
            log_access("api", dossier.code, "GET /api/v1/dossiers/<code>", user=g.user)
        return ok(dossier_detail(dossier, internal=internal))

    @expose("/<code>/actions", methods=["POST"])
    @protect()
    @handled
    @body("DossierAction", multipart="DossierActionUpload")
    def action(self, code: str):
        """Apply a lifecycle action; 409 when not allowed in the current status.
        ---
        post:
          description: >-
            Send the `version` you read (GET /dossiers/<code>): if anyone changed the dossier
            since, the action answers 409 and nothing changes. Without `version` the action
            applies to the dossier as it is when the request arrives: a change someone made
            meanwhile is not detected, only the status rules of the table apply (two officers
            may then both act, one after the other). The back office always sends it.
            An action that takes a file (approve's `result_file`, the signed result document
            that procedures whose result is a certificate or a decision require) is sent as
            multipart/form-data with the same fields.
          responses:
            200: {description: New status}
            403: {description: Visible, but not yours to act on}
            404: {description: Not found}
            409: {description: Not allowed now, or changed by someone else since `version`}
            422: {description: Field errors}
        """
        dossier = _visible(code, *acting())
        payload = parsed_action()
        params = {k: v for k, v in payload.items() if k not in ("action", "note", "version")}
        operations.perform_action(g.user, dossier, payload["action"], note=payload.get("note"),
                                  expected_version=payload.get("version"), **params)
        return ok({"status": dossier.status, "version": dossier.version,
                   "due_date": iso(dossier.due_date)})

    @expose("/<code>", methods=["PUT"])
    @protect()
    @handled
    @body("DossierUpdate")
    def update(self, code: str):
        """Replace data/contact/delivery while draft or needs_supplement (owner).
        ---
        put:
          responses:
            200: {description: The dossier}
            404: {description: Not found}
            409: {description: No longer editable}
            422: {description: Field errors}
        """
        dossier = _editable(code, *filing())
        payload = parsed_body("DossierUpdate")
        parts = {k: payload[k] for k in ("data", "contact", "delivery", "fee") if k in payload}
        operations.update_dossier(g.user, dossier, expected_version=payload.get("version"), **parts)
        return ok(dossier_detail(dossier))

    @expose("/<code>/attachments", methods=["POST"])
    @protect()
    @handled
    @body("AttachmentUpload", "multipart/form-data")
    def attach(self, code: str):
        """Attach a PDF, JPEG or PNG to a required document (multipart document_key + file).

        With an Idempotency-Key (scoped to the dossier) a retried upload answers the file stored
        the first time (200) instead of adding a second copy; the same key with another file,
        name or document answers 422. An optional `sha256` field is checked against the bytes
        received, and a PDF, JPEG or PNG cut off before its end is refused (422).
        ---
        post:
          parameters:
          - {in: header, name: Idempotency-Key, schema: {type: string, maxLength: 100}}
          responses:
            201: {description: Stored}
            200: {description: The file stored earlier with the same Idempotency-Key and the same upload}
            413: {description: Too big}
            415: {description: Not a PDF, JPEG or PNG}
            422: {description: Field errors, a cut-off file, or an Idempotency-Key already used with another upload}
            503: {description: The database is unavailable; retry after Retry-After seconds with the same Idempotency-Key}
        """
        dossier = _editable(code, *filing())
        upload = request.files.get("file")
        if upload is None:
            raise invalid([{"path": "/file", "message": _("Choose a file.")}])
        item, created = attachments.attach_once(
            g.user, dossier, request.form.get("document_key", ""), upload.filename or "",
            upload.stream, idempotency.request_key(), request.form.get("sha256") or None)
        return ok({"id": item.id, "document_key": item.document_key, "filename": item.filename,
                   "size": item.size, "sha256": item.sha256, "content_type": item.content_type},
                  201 if created else 200)

    @expose("/<code>/attachments/<int:attachment_id>", methods=["DELETE"])
    @protect()
    @handled
    def detach(self, code: str, attachment_id: int):
        """Remove a file while the dossier is editable (owner).
        ---
        delete:
          responses:
            204: {description: Removed}
            404: {description: Not found}
        """
        attachments.remove_attachment(g.user, _editable(code), attachment_id)
        return "", 204

    @expose("/<code>/attachments/<int:attachment_id>", methods=["GET"])
    @protect()
    @handled
    def download(self, code: str, attachment_id: int):
        """The file itself, for whoever may see the dossier.
        ---
        get:
          responses:
            200: {description: The file}
            404: {description: Not found}
        """
        item = attachments.get_attachment(_visible(code), attachment_id)
        return Response(attachments.read_attachment(item), mimetype=item.content_type, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(item.filename, safe='')}",
            "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"})

    @expose("/<code>/submit", methods=["POST"])
    @protect()
    @handled
    def submit(self, code: str):
        """Validate everything and submit (owner); a replay answers the same dossier.
        ---
        post:
          responses:
            200: {description: Submitted}
            404: {description: Not found}
            409: {description: Not allowed now}
            422: {description: Field errors}
        """
        dossier = operations.submit_dossier(g.user, _own(code, *filing()))
        return ok({"code": dossier.code, "status": dossier.status,
                   "submitted_at": iso(dossier.submitted_at)})
