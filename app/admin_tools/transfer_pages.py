"""Import and export of procedure definitions (the forms_schema/*.json format)."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _

from app.admin_tools import operations as ops
from app.extensions import limiter
from app.procedures.operations import export_definition

MAX_DEFINITION_BYTES = 2 * 1024 * 1024


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
        files, problems = [], []
        for upload in request.files.getlist("files"):
            if not upload or not upload.filename:
                continue
            raw = upload.read(MAX_DEFINITION_BYTES + 1)
            if len(raw) > MAX_DEFINITION_BYTES:
                problems.append(_("%(name)s: the file is larger than 2 MB.", name=upload.filename))
            files.append((upload.filename, raw))
        try:
            if problems:
                raise ops.AdminError(problems)
            done = ops.import_files(files, unit_codes)
        except ops.AdminError as exc:
            return self.render_template("admin_tools/procedure_import.html",
                                        problems=exc.problems, units=units_text), 422
        for item in done:
            state = _("new version") if item.new_version else _("unchanged")
            flash(f"{item.name}: {item.code} v{item.number} ({state})", "success")
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
