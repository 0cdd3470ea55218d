"""Login through any OpenID Connect provider configured in OIDC_PROVIDERS (authlib).

OIDC_PROVIDERS (a dict in the config, or JSON in the environment variable of that name):
    {"vneid": {"title": "VNeID", "server_metadata_url": "https://…/.well-known/openid-configuration",
               "client_id": "…", "client_secret": "…", "scope": "openid profile",
               "claims": {"citizen_id": "SoDinhDanh", "full_name": "HoVaTen", …}}}
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from app.accounts.models import OidcIdentity
from app.accounts.operations import email_taken, get_profile, split_name
from app.core.types import utcnow
from app.extensions import db

# Claim names of the national VNeID single sign-on, then the standard OIDC ones.
DEFAULT_CLAIMS = {
    "citizen_id": ["SoDinhDanh", "so_dinh_danh", "citizen_id"],
    "full_name": ["HoVaTen", "ho_va_ten", "name"],
    "date_of_birth": ["NgaySinh", "ngay_sinh", "birthdate"],
    "phone": ["SoDienThoai", "so_dien_thoai", "phone_number"],
    "email": ["Email", "email"],
    "gender": ["GioiTinh", "gender"],
    "address": ["NoiThuongTru", "address"],
}


def providers(app: Flask | None = None) -> dict[str, dict]:
    app = app or current_app
    configured = app.config.get("OIDC_PROVIDERS")
    if configured is None and os.environ.get("OIDC_PROVIDERS"):
        configured = json.loads(os.environ["OIDC_PROVIDERS"])
    return configured or {}


def init_oidc(app: Flask) -> None:
    """Register every configured provider with a per-application authlib client; without any,
    authlib (and requests, ≈ 8 MB per process) is not loaded."""
    configured = providers(app)
    if not configured:
        app.extensions["motcua_oauth"] = None
        return
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    for name, conf in configured.items():
        oauth.register(name, client_id=conf["client_id"], client_secret=conf.get("client_secret"),
                       server_metadata_url=conf["server_metadata_url"],
                       client_kwargs={"scope": conf.get("scope", "openid profile email")})
    app.extensions["motcua_oauth"] = oauth


def client(name: str):
    """The authlib client of a configured provider, or None."""
    oauth = current_app.extensions.get("motcua_oauth")
    if name not in providers() or oauth is None:
        return None
    return oauth.create_client(name)


def claim(claims: dict, key: str, mapping: dict) -> Any:
    """A profile value from the claims: the configured claim name first, then the usual ones."""
    names = mapping.get(key)
    names = [names] if isinstance(names, str) else list(names or [])
    for name in names + DEFAULT_CLAIMS.get(key, []):
        value = claims.get(name)
        if value not in (None, ""):
            return value
    return None


def parse_date(value: Any) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    return None


def _gender(value: Any) -> str | None:
    folded = str(value or "").strip().lower()
    return {"nam": "nam", "male": "nam", "1": "nam", "nữ": "nu", "nu": "nu", "female": "nu",
            "2": "nu", "0": "nu"}.get(folded)


def login_identity(provider: str, claims: dict) -> Any:
    """The user of a provider identity, created (active) on first login; profile prefilled."""
    sm = current_app.appbuilder.sm
    subject = str(claims["sub"])
    mapping = providers()[provider].get("claims") or {}
    identity = db.session.scalar(select(OidcIdentity).where(
        OidcIdentity.provider == provider, OidcIdentity.subject == subject))
    if identity is not None:
        user = identity.user
    else:
        handle = f"{provider}-{hashlib.sha256(subject.encode()).hexdigest()[:20]}"
        email = str(claim(claims, "email", mapping) or "").strip().lower()
        if not email or email_taken(email):
            email = f"{handle}@users.invalid"  # FAB needs a unique email; the citizen can add theirs
        first, last = split_name(str(claim(claims, "full_name", mapping) or handle))
        user = sm.user_model(username=handle, email=email, first_name=first, last_name=last,
                             active=True, roles=[sm.find_role(
                                 current_app.config.get("AUTH_USER_REGISTRATION_ROLE", "Citizen"))])
        db.session.add(user)
        db.session.flush()
        identity = OidcIdentity(provider=provider, subject=subject, user_id=user.id)
        db.session.add(identity)
    identity.last_login_at = utcnow()
    _prefill(user, claims, mapping)
    db.session.flush()
    return user


def _prefill(user: Any, claims: dict, mapping: dict) -> None:
    """The provider's verified identity data wins over what was typed before."""
    profile = get_profile(user)
    name = claim(claims, "full_name", mapping)
    if name:
        user.first_name, user.last_name = split_name(str(name))
    citizen_id = str(claim(claims, "citizen_id", mapping) or "")
    if citizen_id.isdigit() and len(citizen_id) == 12:
        profile.citizen_id = citizen_id
    born = parse_date(claim(claims, "date_of_birth", mapping))
    if born:
        profile.date_of_birth = born
    phone = claim(claims, "phone", mapping)
    if phone and not profile.phone:
        profile.phone = str(phone)[:20]
    gender = _gender(claim(claims, "gender", mapping))
    if gender:
        profile.gender = gender
    address = claim(claims, "address", mapping)
    if address and not profile.address:
        profile.address = str(address)[:500]
    if claims.get("email_verified") and not user.email.endswith(".invalid"):
        profile.email_verified_at = profile.email_verified_at or utcnow()
