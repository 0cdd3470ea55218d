"""Units' signing certificates (PKCS#12) for electronic results (Administration menu, audited)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin_tools.unit_choice import single_unit
from app.documents.credentials import (
    MAX_PKCS12_BYTES,
    CredentialError,
    SigningCredential,
    remove_credential,
    save_credential,
)
from app.extensions import db, limiter
from app.units.operations import get_unit


class SigningCertificateView(BaseView):
    """The certificate each unit (or province) signs its electronic results with."""

    route_base = "/admin/signing-certificates"
    default_view = "index"
    class_permission_name = "SigningCertificates"
    method_permission_name = {"index": "write", "delete": "write"}
    base_permissions = ["can_write"]

    @expose("/", methods=["GET", "POST"])
    @has_access
    @limiter.limit("10 per minute", methods=["POST"])
    def index(self):
        errors: dict[str, str] = {}
        code, picker = single_unit(request.form if request.method == "POST" else None,
                                   title=_("Unit: a commune, or a province for all its communes"))
        values = {"unit": code}
        if request.method == "POST" and request.form.get("_refresh"):
            # the picker without JavaScript: the province was chosen, now its communes
            return self.render_template("admin_tools/signing.html", rows=self._rows(), names=self._names(),
                                        errors=errors, values=values, picker=picker)
        if request.method == "POST":
            unit = get_unit(code) if code else None
            upload = request.files.get("certificate")
            if unit is None:
                errors["unit"] = _("Choose the unit: its province, then the commune (or the province alone).")
            if upload is None or not upload.filename:
                errors["certificate"] = _("Choose the certificate file (.p12 or .pfx, at most 64 KB).")
            if not errors:
                try:
                    save_credential(unit.code, upload.read(MAX_PKCS12_BYTES + 1),
                                    request.form.get("passphrase", ""), summary=unit.name)
                except CredentialError as exc:
                    errors["certificate"] = exc.message
                else:
                    flash(_("Signing certificate of %(unit)s saved.", unit=unit.name), "success")
                    return redirect(url_for(".index"))
        return self.render_template("admin_tools/signing.html", rows=self._rows(), names=self._names(),
                                    errors=errors, values=values, picker=picker), 422 if errors else 200

    @staticmethod
    def _rows() -> list:
        return db.session.scalars(select(SigningCredential).order_by(SigningCredential.owner_code)).all()

    def _names(self) -> dict[str, str]:
        return {row.owner_code: getattr(get_unit(row.owner_code), "name", "") for row in self._rows()}

    @expose("/delete/<owner_code>", methods=["POST"])
    @has_access
    def delete(self, owner_code: str):
        if not remove_credential(owner_code):
            abort(404)
        flash(_("Signing certificate removed."), "success")
        return redirect(url_for(".index"))
