"""The procedure editor: catalogue information, the form as JSON with a live preview."""
from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app.admin_tools.builder import schema_to_specs
from app.admin_tools.builder_pages import BuilderPages
from app.admin_tools.common import editable_form, pretty, procedure_or_404
from app.admin_tools.forms import ProcedureMetaForm, documents_to_text, text_to_documents
from app.admin_tools.preview import preview_form, preview_texts
from app.admin_tools.template_pages import TemplatePages
from app.admin_tools.transfer_pages import TransferPages
from app.admin_tools.version_pages import VersionPages
from app.core.refusal import Refused
from app.extensions import limiter
from app.procedures import editing
from app.procedures.operations import get_draft

READ_WRITE = {"index": "read", "new": "write", "meta": "write", "form": "write",
              "preview": "read", "builder": "write", "builder_preview": "read",
              "versions": "read", "diff": "read",
              "publish": "write", "restore": "write", "import_definitions": "write", "export": "read",
              "templates": "write", "delete_template": "write"}


class ProcedureEditorView(BuilderPages, VersionPages, TransferPages, TemplatePages, BaseView):
    """Administrators add and change procedures and their forms without code."""

    route_base = "/admin/procedure-editor"
    default_view = "index"
    class_permission_name = "ProcedureEditor"
    method_permission_name = READ_WRITE
    base_permissions = ["can_read", "can_write"]

    @expose("/")
    @has_access
    def index(self):
        return self.render_template("admin_tools/procedure_list.html",
                                    procedures=editing.procedures_by_code(), get_draft=get_draft)

    def _meta_page(self, form, procedure=None, problems=(), fields=None):
        for name, messages in (fields or {}).items():  # shown next to their field too
            if name in form:
                form[name].errors = [*form[name].errors, *messages]
        return self.render_template("admin_tools/procedure_meta.html", form=form,
                                    procedure=procedure, problems=problems)

    @expose("/new", methods=["GET", "POST"])
    @has_access
    def new(self):
        form = ProcedureMetaForm()
        if form.validate_on_submit():
            try:
                procedure = editing.save_procedure(None, form.metadata())
            except Refused as exc:
                return self._meta_page(form, None, exc.problems, exc.fields), 422
            flash(_("Procedure %(code)s created. Now build its form.", code=procedure.code), "success")
            return redirect(url_for(".builder", code=procedure.code))
        return self._meta_page(form), 422 if form.errors else 200

    @expose("/<code>/meta", methods=["GET", "POST"])
    @has_access
    def meta(self, code: str):
        procedure = procedure_or_404(code)
        form = ProcedureMetaForm(obj=None if request.method == "POST" else procedure)
        if request.method == "GET":
            form.load(procedure)
        if form.validate_on_submit():
            try:
                editing.save_procedure(procedure, form.metadata())
            except Refused as exc:
                return self._meta_page(form, procedure, exc.problems, exc.fields), 422
            flash(_("Saved."), "success")
            return redirect(url_for(".meta", code=procedure.code))
        return self._meta_page(form, procedure), 422 if form.errors else 200

    @expose("/<code>/form", methods=["GET", "POST"])
    @has_access
    def form(self, code: str):
        """The JSON editor; "Preview" re-renders without saving, "Save" stores the draft, the
        "Form builder" tab takes the unsaved form to the builder."""
        procedure = procedure_or_404(code)
        version = editable_form(procedure)
        previous_docs = version.required_documents if version else []
        if request.method == "GET":
            schema_text = pretty(version.schema) if version else ""
            ui_text = pretty(version.ui_schema or {}) if version else "{}"
            return self.json_page(procedure, schema_text, ui_text, documents_to_text(previous_docs))
        schema_text = request.form.get("schema", "")
        ui_text = request.form.get("ui_schema", "")
        docs_text = request.form.get("documents", "")
        action = request.form.get("action")
        preview = preview_texts(schema_text, ui_text)
        documents, doc_problems = text_to_documents(docs_text, previous_docs)
        preview.problems += doc_problems
        if action == "to_builder" and not preview.problems:
            locked = schema_to_specs(preview.schema, preview.ui_schema or {})[1]
            if not locked:
                return self.builder_from_schema(procedure, preview.schema, preview.ui_schema or {},
                                                docs_text)
            preview.problems.append(_("The visual builder cannot edit this form (%(parts)s); keep "
                                      "editing it here.", parts=", ".join(locked)))
        if action != "save" or preview.problems:
            status = 422 if action in ("save", "to_builder") and preview.problems else 200
            return self.json_page(procedure, schema_text, ui_text, docs_text, preview,
                                  unsaved=True), status
        try:
            draft = editing.save_form(procedure, preview.schema, preview.ui_schema or {}, documents)
        except Refused as exc:
            preview.problems += exc.problems
            return self.json_page(procedure, schema_text, ui_text, docs_text, preview,
                                  unsaved=True), 422
        flash(_("Draft version %(n)d saved. Publish it when it is ready.", n=draft.number), "success")
        return redirect(url_for(".form", code=code))

    def json_page(self, procedure, schema_text, ui_text, docs_text, preview=None, unsaved=False):
        """The JSON editor page (also drawn by the builder's "JSON editor" tab, unsaved)."""
        return self.render_template(
            "admin_tools/procedure_form.html", procedure=procedure, schema_text=schema_text,
            ui_text=ui_text, docs_text=docs_text,
            preview=preview or preview_texts(schema_text, ui_text), draft=get_draft(procedure),
            unsaved=unsaved)

    @expose("/preview", methods=["POST"])
    @has_access
    @limiter.limit("120 per minute")
    def preview(self):
        """JSON for the live preview script: problems and the rendered form in vi and en."""
        if request.is_json:
            body = request.get_json(silent=True) or {}
            result = preview_form(body.get("schema"), body.get("ui_schema") or {})
        else:
            result = preview_texts(request.form.get("schema", ""), request.form.get("ui_schema", ""))
        return jsonify(result.as_json())

