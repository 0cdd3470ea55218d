"""Downloadable form templates of a procedure (level 2)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from app.core.refusal import Refused
from app.extensions import db, limiter
from app.procedures.models import ProcedureTemplate
from app.procedures.templates import add_template, delete_template


class TemplatePages:
    """Routes of template files, mixed into the procedure editor view."""

    @expose("/<code>/templates", methods=["GET", "POST"])
    @has_access
    @limiter.limit("20 per minute", methods=["POST"])
    def templates(self, code: str):
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        problems: list[str] = []
        if request.method == "POST":
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                problems.append(_("Choose a file."))
            else:
                try:
                    add_template(procedure, request.form.get("title", ""), upload.filename,
                                     upload.read())
                except Refused as exc:
                    problems = exc.problems
                else:
                    flash(_("Template added."), "success")
                    return redirect(url_for(".templates", code=code))
        return self.render_template("admin_tools/procedure_templates.html", procedure=procedure,
                                    problems=problems), 422 if problems else 200

    @expose("/<code>/templates/<int:template_id>/delete", methods=["POST"])
    @has_access
    def delete_template(self, code: str, template_id: int):
        template = db.session.get(ProcedureTemplate, template_id)
        if template is None or template.procedure.code != code:
            abort(404)
        delete_template(template)
        flash(_("Template removed."), "success")
        return redirect(url_for(".templates", code=code))
