"""Import and export of procedure definitions (the forms_schema/*.json format)."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from app.admin_tools.unit_choice import split_codes, unit_choice
from app.extensions import db, limiter
from app.procedures import imports
from app.procedures.definitions import MAX_DEFINITION_BYTES
from app.procedures.operations import export_definition


class TransferPages:
    """Routes of import/export, mixed into the procedure editor view."""

    @expose("/import", methods=["GET", "POST"])
    @has_access
    @limiter.limit("30 per minute", methods=["POST"])
    def import_definitions(self):
        choice = unit_choice("unit", request.form if request.method == "POST" else None)
        if request.method == "GET" or choice.handled:  # the unit picker without JavaScript
            chosen_files = request.method == "POST" and any(
                upload.filename for upload in request.files.getlist("files"))
            return self.render_template("admin_tools/procedure_import.html", problems=[],
                                        choice=choice, files_again=chosen_files)
        unit_codes = choice.codes + split_codes(request.form.get("units"))
        files = [(upload.filename, upload.read(MAX_DEFINITION_BYTES + 1))
                 for upload in request.files.getlist("files") if upload and upload.filename]
        try:
            outcomes = imports.import_definitions(files, unit_codes, via="admin", unit_label=_("Units"))
        except imports.ImportRefused as exc:
            db.session.rollback()
            return self.render_template("admin_tools/procedure_import.html",
                                        problems=exc.problems, choice=choice,
                                        files_again=bool(files)), 422
        for outcome in outcomes:
            details = imports.outcome_details(outcome)
            text = f"{outcome.source}: {imports.outcome_summary(outcome)}"
            flash(text + (" — " + "; ".join(details) if details else ""), "success")
        return redirect(url_for(".index"))

    @expose("/<code>/export")
    @has_access
    def export(self, code: str):
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        body = json.dumps(export_definition(procedure), ensure_ascii=False, indent=2)
        safe = "".join(c if c.isalnum() or c in ".-_" else "_" for c in procedure.code)
        return Response(body + "\n", mimetype="application/json", headers={
            "Content-Disposition": f'attachment; filename="{safe}.json"'})
