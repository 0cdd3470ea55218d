"""What an issued result is, publicly and without personal data, and whether a presented file is
that document with a valid signature (sha256 and PAdES)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.api import iso
from app.documents.credentials import trust_roots
from app.dossiers.models import ResultDocument
from app.extensions import db


def issued_document(public_id: str) -> ResultDocument | None:
    if not public_id or len(public_id) > 32:
        return None
    return db.session.scalar(select(ResultDocument).where(ResultDocument.public_id == public_id))


def public_facts(document: ResultDocument) -> dict[str, Any]:
    """Which unit issued which kind of document for which dossier, when: nothing personal."""
    dossier = document.dossier
    return {"id": document.public_id, "kind": document.title, "unit": dossier.unit.name,
            "unit_code": dossier.unit.code, "dossier_code": dossier.code,
            "issued_at": iso(document.created_at), "sha256": document.sha256,
            "signed": document.signed, "signer": document.signer}


@dataclass
class Check:
    valid: bool
    matches: bool
    sha256: str
    signature_valid: bool | None = None
    signer: str = ""
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        body = {"valid": self.valid, "matches": self.matches, "sha256": self.sha256,
                "signature_valid": self.signature_valid, "signer": self.signer or None}
        if self.reason:
            body["reason"] = self.reason
        return body


def check_file(document: ResultDocument, data: bytes) -> Check:
    """The presented file is the issued one (same sha256) and, if signed, its signature holds."""
    digest = hashlib.sha256(data).hexdigest()
    matches = digest == document.sha256
    result = Check(valid=False, matches=matches, sha256=digest)
    if document.signed:
        from app.documents.signing import verify_pdf  # pyHanko: loaded by the first check

        found = verify_pdf(data, trust_roots())
        result.signature_valid, result.signer = found.valid, found.signer
        if not found.valid:
            result.reason = {
                "not_signed": _("The file carries no digital signature."),
                "unreadable": _("The file is not a readable PDF."),
                "untrusted": _("The signature is not by a certificate this portal trusts."),
                "partial": _("Content was added to the file after it was signed."),
            }.get(found.problem, _("The signature does not match the content: the file was "
                                   "changed after it was signed."))
    if not matches and not result.reason:
        result.reason = _("This file is not the document that was issued (its SHA-256 differs).")
    result.valid = matches and (result.signature_valid is not False)
    return result
