"""Import and export of procedure definitions (the forms_schema/*.json format)."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

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
        if request.method == "GET":
            return self.render_template("admin_tools/procedure_import.html", problems=[],
                                        units="")
        units_text = request.form.get("units", "")
        unit_codes = [c.strip() for c in units_text.replace(",", " ").split() if c.strip()]
        files = [(upload.filename, upload.read(MAX_DEFINITION_BYTES + 1))
                 for upload in request.files.getlist("files") if upload and upload.filename]
        try:
            outcomes = imports.import_definitions(files, unit_codes, via="admin", unit_label=_("Units"))
        except imports.ImportRefused as exc:
            db.session.rollback()
            return self.render_template("admin_tools/procedure_import.html",
                                        problems=exc.problems, units=units_text), 422
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
