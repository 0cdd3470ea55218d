"""Signing certificates of issuers (a unit's PKCS#12), set by administrators, and trust roots.

The uploaded PKCS#12 is checked, then kept re-encrypted under a key derived from SECRET_KEY
(rotating SECRET_KEY means uploading the certificates again); its passphrase is never stored.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from flask import current_app
from flask_appbuilder import Model
from flask_babel import gettext as _
from sqlalchemy import DateTime, LargeBinary, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core import audit
from app.core.types import utcnow
from app.documents import testca
from app.extensions import db

MAX_PKCS12_BYTES = 64 * 1024


class CredentialError(Exception):
    """An uploaded certificate that cannot sign; `.message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SigningCredential(Model):
    """The certificate and key an issuer (a unit, by code) signs its electronic results with."""

    __tablename__ = "signing_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_code: Mapped[str] = mapped_column(String(50), unique=True, index=True)
    pkcs12: Mapped[bytes] = mapped_column(LargeBinary)
    subject: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(500))
    serial: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))
    not_before: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    not_after: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    chain_pem: Mapped[str] = mapped_column(Text, default="")  # the public certificates
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    onupdate=utcnow)

    def __repr__(self) -> str:
        return f"{self.owner_code}: {self.subject}"

    __str__ = __repr__


@dataclass(frozen=True)
class SigningIdentity:
    """What the signing engine needs: a PKCS#12 and its passphrase, and whose it is."""

    pkcs12: bytes
    passphrase: bytes
    name: str
    test: bool = False


def _storage_passphrase() -> bytes:
    secret = (current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, b"motcua-signing-credential", hashlib.sha256).hexdigest().encode()


def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def read_pkcs12(data: bytes, passphrase: str) -> tuple[object, x509.Certificate, list[x509.Certificate]]:
    """Key, certificate and chain of an uploaded file, or a CredentialError saying what is wrong."""
    if not data or len(data) > MAX_PKCS12_BYTES:
        raise CredentialError(_("Choose the certificate file (.p12 or .pfx, at most 64 KB)."))
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, passphrase.encode() or None)
    except ValueError:
        raise CredentialError(_("This is not a PKCS#12 file, or the password is wrong.")) from None
    if key is None or cert is None:
        raise CredentialError(_("The file must hold the certificate and its private key."))
    now = dt.datetime.now(dt.timezone.utc)
    if cert.not_valid_after_utc < now or cert.not_valid_before_utc > now:
        raise CredentialError(_("The certificate is not valid today (valid %(start)s to %(end)s).",
                                start=f"{cert.not_valid_before_utc:%d/%m/%Y}",
                                end=f"{cert.not_valid_after_utc:%d/%m/%Y}"))
    return key, cert, list(chain or [])


def _facts(row: SigningCredential) -> dict[str, str]:
    return {"subject": row.subject, "issuer": row.issuer, "serial": row.serial,
            "fingerprint": row.fingerprint, "not_after": row.not_after.isoformat()}


def save_credential(owner_code: str, data: bytes, passphrase: str, summary: str = ""
                    ) -> SigningCredential:
    """Check and keep an issuer's certificate, replacing the previous one (audited)."""
    key, cert, chain = read_pkcs12(data, passphrase)
    row = db.session.scalar(select(SigningCredential).where(SigningCredential.owner_code == owner_code))
    row = row or SigningCredential(owner_code=owner_code)
    row.pkcs12 = pkcs12.serialize_key_and_certificates(
        owner_code.encode(), key, cert, chain or None,
        serialization.BestAvailableEncryption(_storage_passphrase()))
    row.subject, row.issuer = cert.subject.rfc4514_string()[:500], cert.issuer.rfc4514_string()[:500]
    row.serial = format(cert.serial_number, "x")[:100]
    row.fingerprint = cert.fingerprint(hashes.SHA256()).hex()
    row.not_before, row.not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    row.chain_pem = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in [cert, *chain])
    db.session.add(row)
    db.session.flush()
    audit.record("update", "SigningCredential", owner_code, summary or row.subject, _facts(row))
    return row


def remove_credential(owner_code: str) -> bool:
    """Forget an issuer's certificate (audited); False when there was none."""
    row = db.session.scalar(select(SigningCredential).where(SigningCredential.owner_code == owner_code))
    if row is None:
        return False
    audit.record("delete", "SigningCredential", owner_code, row.subject, _facts(row))
    db.session.delete(row)
    db.session.flush()
    return True


def credential_for(owner_codes: list[str]) -> Optional[SigningCredential]:
    """The first configured credential among the issuers given (e.g. the unit, then its province)."""
    rows = {r.owner_code: r for r in db.session.scalars(
        select(SigningCredential).where(SigningCredential.owner_code.in_(owner_codes)))}
    return next((rows[c] for c in owner_codes if c in rows), None)


def identity_for(owner_codes: list[str], owner_name: str) -> Optional[SigningIdentity]:
    """How this issuer signs: its configured certificate, else the test CA where enabled."""
    row = credential_for(owner_codes)
    if row is not None:
        _key, cert, _chain = pkcs12.load_key_and_certificates(row.pkcs12, _storage_passphrase())
        return SigningIdentity(row.pkcs12, _storage_passphrase(), _common_name(cert.subject))
    if testca.enabled() and owner_codes:
        data, passphrase = testca.test_identity(owner_codes[0], owner_name)
        return SigningIdentity(data, passphrase, owner_name, test=True)
    return None


def trust_roots() -> list[x509.Certificate]:
    """Certificates a signature may chain to: the configured chains, a PEM bundle, the test CA."""
    roots: list[x509.Certificate] = []
    for pem in db.session.scalars(select(SigningCredential.chain_pem)):
        roots += x509.load_pem_x509_certificates(pem.encode()) if pem else []
    bundle = current_app.config.get("SIGNING_TRUST_ROOTS")
    if bundle and Path(bundle).is_file():
        roots += x509.load_pem_x509_certificates(Path(bundle).read_bytes())
    if testca.enabled():
        roots.append(testca.root_certificate())
    return roots
