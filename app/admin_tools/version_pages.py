"""Versions of a procedure's form: list, diff, publish and restore, each confirmed on a page first."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.dossiers.drafts import unfit_drafts
from app.dossiers.models import Dossier
from app.extensions import db
from app.procedures.changes import describe_changes, form_fingerprint
from app.procedures.definitions import DefinitionError
from app.procedures.diff import version_diff
from app.procedures.operations import get_draft, publish_draft, restore_version


def dossier_counts(procedure) -> dict[int, int]:
    """Dossiers filed per version id (they keep their version forever)."""
    rows = db.session.execute(select(Dossier.procedure_version_id, func.count()).where(
        Dossier.procedure_id == procedure.id).group_by(Dossier.procedure_version_id)).all()
    return dict(rows)


def _version_or_404(procedure, number: int):
    version = next((v for v in procedure.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


class VersionPages:
    """Routes of the version screens, mixed into the procedure editor view."""

    @expose("/<code>/versions")
    @has_access
    def versions(self, code: str):
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        return self.render_template("admin_tools/procedure_versions.html", procedure=procedure,
                                    counts=dossier_counts(procedure), draft=get_draft(procedure))

    @expose("/<code>/diff")
    @has_access
    def diff(self, code: str):
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        try:
            old = _version_or_404(procedure, int(request.args.get("a", "")))
            new = _version_or_404(procedure, int(request.args.get("b", "")))
        except ValueError:
            abort(404)
        return self.render_template("admin_tools/procedure_diff.html", procedure=procedure,
                                    old=old, new=new, changes=describe_changes(old, new),
                                    lines=version_diff(old, new))

    @expose("/<code>/publish", methods=["GET", "POST"])
    @has_access
    def publish(self, code: str):
        """GET (or a POST without confirmation) shows what changes; a confirmed POST publishes."""
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        draft = get_draft(procedure)
        if draft is None:
            flash(_("There is no draft version to publish."), "warning")
            return redirect(url_for(".versions", code=code))
        problems = []
        if request.method == "POST" and request.form.get("confirm") == "1":
            try:
                version = publish_draft(procedure, request.form.get("fingerprint", ""))
            except DefinitionError as exc:
                db.session.rollback()
                problems = exc.problems
            else:
                flash(_("Version %(n)d is published: new dossiers use it.",
                        n=version.number), "success")
                return self.render_template("admin_tools/procedure_published.html",
                                            procedure=procedure, version=version,
                                            unfit=unfit_drafts(procedure, version))
            draft = get_draft(procedure)  # reloaded after the rollback
            if draft is None:
                return redirect(url_for(".versions", code=code))
        current = procedure.current_version
        return self.render_template(
            "admin_tools/procedure_publish.html", procedure=procedure, draft=draft,
            current=current, changes=describe_changes(current, draft),
            lines=version_diff(current, draft), unfit=unfit_drafts(procedure, draft),
            fingerprint=form_fingerprint(draft), problems=problems), 422 if problems else 200

    @expose("/<code>/versions/<int:number>/restore", methods=["GET", "POST"])
    @has_access
    def restore(self, code: str, number: int):
        """GET shows what the draft would become; a confirmed POST makes it so."""
        from app.admin_tools.editor import procedure_or_404

        procedure = procedure_or_404(code)
        old = _version_or_404(procedure, number)
        if old.published_at is None:  # only a published form can be restored
            abort(404)
        problems = []
        if request.method == "POST" and request.form.get("confirm") == "1":
            try:
                draft = restore_version(procedure, number, request.form.get("fingerprint", ""))
            except DefinitionError as exc:
                db.session.rollback()
                problems = exc.problems
            else:
                flash(_("Version %(old)d is restored as draft version %(n)d. Publish it when it "
                        "is ready.", old=number, n=draft.number), "success")
                return redirect(url_for(".versions", code=code))
        base = get_draft(procedure) or procedure.current_version
        return self.render_template(
            "admin_tools/procedure_restore.html", procedure=procedure, old=old, base=base,
            draft=get_draft(procedure), changes=describe_changes(base, old),
            fingerprint=form_fingerprint(base),
            lines=version_diff(base, old), problems=problems), 422 if problems else 200
