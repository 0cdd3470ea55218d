"""Versions of a procedure's form: list, diff, publish (with the drafts it no longer fits)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.admin_tools.versions import version_diff
from app.extensions import db
from app.procedures.definitions import DefinitionError
from app.procedures.operations import publish_draft


def dossier_counts(procedure) -> dict[int, int]:
    """Dossiers filed per version id (they keep their version forever)."""
    from app.dossiers.models import Dossier

    rows = db.session.execute(select(Dossier.procedure_version_id, func.count()).where(
        Dossier.procedure_id == procedure.id).group_by(Dossier.procedure_version_id)).all()
    return dict(rows)


class VersionPages:
    """Routes of the version screens, mixed into the procedure editor view."""

    @expose("/<code>/versions")
    @has_access
    def versions(self, code: str):
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        from app.procedures.operations import get_draft

        return self.render_template("admin_tools/procedure_versions.html", procedure=procedure,
                                    counts=dossier_counts(procedure), draft=get_draft(procedure))

    @expose("/<code>/diff")
    @has_access
    def diff(self, code: str):
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        by_number = {v.number: v for v in procedure.versions}
        try:
            old = by_number[int(request.args.get("a", ""))]
            new = by_number[int(request.args.get("b", ""))]
        except (KeyError, ValueError):
            abort(404)
        return self.render_template("admin_tools/procedure_diff.html", procedure=procedure,
                                    old=old, new=new, lines=version_diff(old, new))

    @expose("/<code>/publish", methods=["POST"])
    @has_access
    def publish(self, code: str):
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        try:
            outcome = publish_draft(procedure)
        except DefinitionError as exc:
            db.session.rollback()
            for problem in exc.problems:
                flash(problem, "danger")
            return redirect(url_for(".versions", code=code))
        db.session.commit()
        flash(_("Version %(n)d is published: new dossiers use it.", n=outcome.version.number),
              "success")
        return self.render_template("admin_tools/procedure_published.html", procedure=procedure,
                                    outcome=outcome)
