"""Units' signing certificates (PKCS#12) for electronic results (Administration menu, audited)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

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
        values = {"unit": request.form.get("unit", "").strip()}
        if request.method == "POST":
            unit = get_unit(values["unit"]) if values["unit"] else None
            upload = request.files.get("certificate")
            if unit is None:
                errors["unit"] = _("Choose an administrative unit by its code.")
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
        rows = db.session.scalars(select(SigningCredential).order_by(SigningCredential.owner_code)).all()
        names = {row.owner_code: getattr(get_unit(row.owner_code), "name", "") for row in rows}
        return self.render_template("admin_tools/signing.html", rows=rows, names=names,
                                    errors=errors, values=values), 422 if errors else 200

    @expose("/delete/<owner_code>", methods=["POST"])
    @has_access
    def delete(self, owner_code: str):
        if not remove_credential(owner_code):
            abort(404)
        flash(_("Signing certificate removed."), "success")
        return redirect(url_for(".index"))
