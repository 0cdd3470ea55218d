"""JSON API of dossiers: citizens file, officers act; scope is in every query."""
from __future__ import annotations

from flask import g, request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from flask_babel import gettext as _

from app.core.api import ApiError, error_response, iso, json_body, ok
from app.dossiers import operations as ops
from app.dossiers.serializers import dossier_detail, dossier_summary
from app.extensions import db
from app.security.scope import sees_internal


def _parse_new(body: dict) -> ops.NewDossier:
    errors = []
    for key in ("procedure", "unit"):
        if not isinstance(body.get(key), str) or not body.get(key):
            errors.append({"path": f"/{key}", "message": _("Required.")})
    if "data" in body and not isinstance(body["data"], dict):
        errors.append({"path": "/data", "message": _("Must be an object.")})
    contact = body.get("contact") or {}
    delivery = body.get("delivery") or {}
    if not isinstance(contact, dict):
        errors.append({"path": "/contact", "message": _("Must be an object.")})
        contact = {}
    if not isinstance(delivery, dict):
        errors.append({"path": "/delivery", "message": _("Must be an object.")})
        delivery = {}
    if errors:
        raise ApiError(422, _("Some of the information is not valid."), errors)
    return ops.NewDossier(
        procedure_code=body["procedure"], unit_code=body["unit"], data=body.get("data") or {},
        phone=str(contact.get("phone") or ""), email=str(contact.get("email") or ""),
        delivery_method=str(delivery.get("method") or "office"),
        delivery_address=delivery.get("address") if isinstance(delivery.get("address"), dict)
        else ({"text": delivery["address"]} if delivery.get("address") else {}),
        idempotency_key=request.headers.get("Idempotency-Key") or None,
    )


class DossierApi(BaseApi):
    """/api/v1/dossiers — see CONTRACT.md."""

    resource_name = "dossiers"
    openapi_spec_tag = "Dossiers"
    class_permission_name = "Dossier"
    method_permission_name = {"create": "write", "get": "read", "list": "read",
                              "action": "write", "update": "write", "attach": "write",
                              "detach": "write", "download": "read", "submit": "write"}
    base_permissions = ["can_read", "can_write"]

    def _handle(self, fn, *args):
        try:
            return fn(*args)
        except ApiError as exc:
            return error_response(exc.status, exc.message, exc.errors)
        except ops.DossierError as exc:
            db.session.rollback()
            return error_response(exc.status, exc.message, exc.errors)

    def _visible(self, code: str):
        dossier = ops.get_visible_dossier(g.user, code)
        if dossier is None:
            raise ApiError(404, _("Dossier not found."))
        return dossier

    @expose("/", methods=["POST"])
    @protect()
    def create(self):
        """Create a draft dossier (citizen); honours Idempotency-Key.
        ---
        post:
          responses:
            201: {description: Created}
            422: {description: Invalid}
        """
        def run():
            dossier, created = ops.create_dossier(g.user, _parse_new(json_body()))
            return ok({"code": dossier.code, "status": dossier.status}, 201 if created else 200)
        return self._handle(run)

    @expose("/", methods=["GET"])
    @protect()
    def list(self):
        """Dossiers the caller may see, filtered by status and unit.
        ---
        get:
          responses:
            200: {description: Dossiers}
        """
        from app.dossiers.models import Dossier
        from app.units.models import AdministrativeUnit

        stmt = ops.visible_dossiers(g.user)
        if request.args.get("status"):
            stmt = stmt.where(Dossier.status == request.args["status"])
        if request.args.get("unit"):
            stmt = stmt.join(AdministrativeUnit, AdministrativeUnit.id == Dossier.unit_id).where(
                AdministrativeUnit.code == request.args["unit"])
        rows = db.session.scalars(stmt.order_by(Dossier.id.desc()).limit(500)).all()
        return ok({"result": [dossier_summary(d) for d in rows], "count": len(rows)})

    @expose("/<code>", methods=["GET"])
    @protect()
    def get(self, code: str):
        """One dossier with its citizen-visible events (404 when out of scope).
        ---
        get:
          responses:
            200: {description: The dossier}
            404: {description: Not found}
        """
        def run():
            dossier = self._visible(code)
            return ok(dossier_detail(dossier, internal=sees_internal(g.user, dossier)))
        return self._handle(run)

    @expose("/<code>/actions", methods=["POST"])
    @protect()
    def action(self, code: str):
        """Apply a lifecycle action; 409 when not allowed in the current status.
        ---
        post:
          responses:
            200: {description: New status}
            404: {description: Not found}
            409: {description: Not allowed now}
        """
        def run():
            dossier = self._visible(code)
            body = json_body()
            action = body.get("action")
            if not isinstance(action, str):
                raise ApiError(422, _("Some of the information is not valid."),
                               [{"path": "/action", "message": _("Required.")}])
            params = {k: v for k, v in body.items() if k not in ("action", "note", "version")}
            version = body.get("version") if isinstance(body.get("version"), int) else None
            ops.perform_action(g.user, dossier, action, note=body.get("note"),
                               expected_version=version, **params)
            return ok({"status": dossier.status, "version": dossier.version,
                       "due_date": dossier.due_date.isoformat() if dossier.due_date else None})
        return self._handle(run)

    # Citizen filing (issue 4): edit, attach, submit; rules live in filing.py/attachments.py.
    def _own(self, code: str):
        """The caller's own dossier; anybody else's answers 404."""
        dossier = self._visible(code)
        if dossier.applicant_id != g.user.id:
            raise ApiError(404, _("Dossier not found."))
        return dossier

    @expose("/<code>", methods=["PUT"])
    @protect()
    def update(self, code: str):
        """Replace data/contact/delivery while draft or needs_supplement (owner).
        ---
        put:
          responses:
            200: {description: The dossier}
            404: {description: Not found}
            409: {description: No longer editable}
            422: {description: Invalid}
        """
        from app.dossiers import filing

        def run():
            dossier = self._own(code)
            body = json_body()
            parts = {}
            for key in ("data", "contact", "delivery"):
                if key in body:
                    if not isinstance(body[key], dict):
                        raise ApiError(422, _("Some of the information is not valid."),
                                       [{"path": f"/{key}", "message": _("Must be an object.")}])
                    parts[key] = body[key]
            version = body.get("version") if isinstance(body.get("version"), int) else None
            filing.update_dossier(g.user, dossier, expected_version=version, **parts)
            return ok(dossier_detail(dossier))
        return self._handle(run)

    @expose("/<code>/attachments", methods=["POST"])
    @protect()
    def attach(self, code: str):
        """Attach a PDF, JPEG or PNG to a required document (multipart document_key + file).
        ---
        post:
          responses:
            201: {description: Stored}
            413: {description: Too big}
            415: {description: Not a PDF, JPEG or PNG}
            422: {description: Invalid}
        """
        from app.dossiers import attachments

        def run():
            dossier = self._own(code)
            upload = request.files.get("file")
            key = request.form.get("document_key", "")
            if upload is None:
                raise ApiError(422, _("Some of the information is not valid."),
                               [{"path": "/file", "message": _("Choose a file.")}])
            item = attachments.add_attachment(g.user, dossier, key, upload.filename or "",
                                              upload.stream)
            return ok({"id": item.id, "document_key": item.document_key, "filename": item.filename,
                       "size": item.size, "sha256": item.sha256,
                       "content_type": item.content_type}, 201)
        return self._handle(run)

    @expose("/<code>/attachments/<int:attachment_id>", methods=["DELETE"])
    @protect()
    def detach(self, code: str, attachment_id: int):
        """Remove a file while the dossier is editable (owner).
        ---
        delete:
          responses:
            204: {description: Removed}
            404: {description: Not found}
        """
        from app.dossiers import attachments

        def run():
            attachments.remove_attachment(g.user, self._own(code), attachment_id)
            return "", 204
        return self._handle(run)

    @expose("/<code>/attachments/<int:attachment_id>", methods=["GET"])
    @protect()
    def download(self, code: str, attachment_id: int):
        """The file itself, for whoever may see the dossier.
        ---
        get:
          responses:
            200: {description: The file}
            404: {description: Not found}
        """
        from flask import Response

        from app.dossiers import attachments

        def run():
            item = attachments.get_attachment(self._visible(code), attachment_id)
            return Response(attachments.read_attachment(item), mimetype=item.content_type,
                            headers={"Content-Disposition": f"attachment; filename*=UTF-8''"
                                     f"{_quote(item.filename)}",
                                     "X-Content-Type-Options": "nosniff"})
        return self._handle(run)

    @expose("/<code>/submit", methods=["POST"])
    @protect()
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
        from app.dossiers import filing

        def run():
            dossier = filing.submit_dossier(g.user, self._own(code))
            return ok({"code": dossier.code, "status": dossier.status,
                       "submitted_at": iso(dossier.submitted_at)})
        return self._handle(run)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
