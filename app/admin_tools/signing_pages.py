"""Units' signing certificates (PKCS#12) for electronic results (Administration menu, audited)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.documents.credentials import MAX_PKCS12_BYTES, CredentialError, SigningCredential, save_credential
from app.extensions import db, limiter
from app.units.operations import get_unit


def _facts(row: SigningCredential) -> dict[str, str]:
    return {"subject": row.subject, "issuer": row.issuer, "serial": row.serial,
            "fingerprint": row.fingerprint, "not_after": row.not_after.isoformat()}


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
                    row = save_credential(unit.code, upload.read(MAX_PKCS12_BYTES + 1),
                                          request.form.get("passphrase", ""))
                except CredentialError as exc:
                    errors["certificate"] = exc.message
                else:
                    audit.record("update", "SigningCredential", unit.code, f"{unit.name}: {row.subject}",
                                 _facts(row))
                    db.session.commit()
                    flash(_("Signing certificate of %(unit)s saved.", unit=unit.name), "success")
                    return redirect(url_for(".index"))
        rows = db.session.scalars(select(SigningCredential).order_by(SigningCredential.owner_code)).all()
        names = {row.owner_code: getattr(get_unit(row.owner_code), "name", "") for row in rows}
        return self.render_template("admin_tools/signing.html", rows=rows, names=names,
                                    errors=errors, values=values), 422 if errors else 200

    @expose("/delete/<owner_code>", methods=["POST"])
    @has_access
    def delete(self, owner_code: str):
        row = db.session.scalar(select(SigningCredential).where(SigningCredential.owner_code == owner_code))
        if row is None:
            abort(404)
        audit.record("delete", "SigningCredential", owner_code, row.subject, _facts(row))
        db.session.delete(row)
        db.session.commit()
        flash(_("Signing certificate removed."), "success")
        return redirect(url_for(".index"))
