"""A self-signed test CA for development and tests, generated at first use (never a real CA).

Its key lives in `SIGNING_TEST_CA_DIR` (development: instance/, so documents signed yesterday
still verify today) or only in memory (tests). Each issuer gets a leaf certificate from it.
"""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from flask import current_app

CA_NAME = "MotCua Test CA (không dùng cho văn bản thật)"
PASSPHRASE = b"motcua-test-ca"  # noqa: S105 - protects test material only


def _name(common: str, organization: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]),
                      x509.NameAttribute(NameOID.COMMON_NAME, common[:64])])


def _usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=not ca, content_commitment=not ca,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)


def _certificate(subject: x509.Name, issuer: x509.Name, public_key, signing_key, *, ca: bool,
                 days: int, issuer_key=None) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(public_key).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), True)
               .add_extension(_usage(ca), True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False))
    if issuer_key is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key), False)
    return builder.sign(signing_key, hashes.SHA256())


def _generate_ca() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(CA_NAME, "MotCua")
    return key, _certificate(name, name, key.public_key(), key, ca=True, days=3650)


def _load_or_create(directory: str | None) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    if not directory:
        return _generate_ca()
    path = Path(directory) / "test-ca.p12"
    if path.exists():
        key, cert, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), PASSPHRASE)
        if key is not None and cert is not None:
            return key, cert
    key, cert = _generate_ca()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"motcua-test-ca", key, cert, None, serialization.BestAvailableEncryption(PASSPHRASE)))
    path.chmod(0o600)
    return key, cert


def _state() -> dict:
    app = current_app._get_current_object()
    state = app.extensions.get("motcua_test_ca")
    if state is None:
        key, cert = _load_or_create(app.config.get("SIGNING_TEST_CA_DIR"))
        state = app.extensions["motcua_test_ca"] = {"key": key, "cert": cert, "leaves": {}}
    return state


def enabled() -> bool:
    return bool(current_app.config.get("SIGNING_TEST_CA"))


def root_certificate() -> x509.Certificate:
    return _state()["cert"]


def test_identity(owner_code: str, owner_name: str) -> tuple[bytes, bytes]:
    """(PKCS#12, passphrase) of a leaf certificate for an issuer, issued by the test CA."""
    state = _state()
    cached = state["leaves"].get(owner_code)
    if cached is None:
        key = ec.generate_private_key(ec.SECP256R1())
        ca_key, ca_cert = state["key"], state["cert"]
        cert = _certificate(_name(owner_name or owner_code, owner_name or owner_code),
                            ca_cert.subject, key.public_key(), ca_key, ca=False, days=730,
                            issuer_key=ca_key.public_key())
        passphrase = secrets.token_hex(16).encode()
        data = pkcs12.serialize_key_and_certificates(
            owner_code.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(passphrase))
        cached = state["leaves"][owner_code] = (data, passphrase)
    return cached
