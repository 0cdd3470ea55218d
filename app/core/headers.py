"""Security headers on every answer (Flask-Talisman): a Content-Security-Policy whose scripts
are same-origin or carry the request's nonce and whose styles are same-origin stylesheets, no
framing, no MIME sniffing, a strict referrer, HSTS in production; no-store on answers that may
carry personal data."""
from __future__ import annotations

import base64
import hashlib

from flask import Flask, g, request

from app.extensions import talisman

# The only inline styles left, all FAB's, allowed by their exact values (CSP Level 3
# 'unsafe-hashes'; never 'unsafe-inline'): its macros (flask_appbuilder/templates/appbuilder/
# general/lib.html, 422 lines, too much to copy for four attributes) write the first four, its
# list filters (static/appbuilder/js/ab_filters.js) set the last one on a date filter's input.
# Our templates and the small FAB templates we render carry classes instead
# (app/templates/appbuilder/, static/css/appbuilder.css); tests/proof/test_inline_styles.py and
# tests/e2e/test_csp.py fail on any other.
FAB_STYLE_ATTRIBUTES = ("display: none", "display: flex;", "display:inherit;", "color: red", "width: 100%")


def style_hash(value: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode() + "'"


CSP = {
    "default-src": "'self'",
    "script-src": "'self'",  # + the nonce of the request (FAB's templates and ours use csp_nonce())
    "style-src": "'self'",
    "style-src-attr": " ".join(["'unsafe-hashes'", *map(style_hash, FAB_STYLE_ATTRIBUTES)]),
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
}
PUBLIC_PREFIXES = ("/static/", "/appbuilder/", "/favicon")


def _no_store(response):
    """Pages and API answers for a logged-in user, or holding a dossier's status, stay out of caches."""
    if request.path.startswith(PUBLIC_PREFIXES) or "Cache-Control" in response.headers:
        return response
    personal = (request.headers.get("Authorization") or request.path.startswith(
        ("/account", "/my", "/backoffice", "/admin", "/api/v1/dossiers", "/api/v1/counter",
         "/lookup", "/api/v1/lookup", "/dossiers", "/payments")))
    # The user already loaded by this request, if any (no query here: the database may be down).
    user = g.get("_login_user")
    personal = personal or bool(user is not None and user.is_authenticated)
    if personal:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def register(app: Flask) -> None:
    production = app.config.get("ENV_NAME") == "production"
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at nginx, which redirects plain HTTP
        strict_transport_security=production,
        strict_transport_security_max_age=app.config.get("HSTS_MAX_AGE", 31536000),
        content_security_policy=CSP,
        content_security_policy_nonce_in=["script-src"],
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        session_cookie_secure=bool(app.config.get("SESSION_COOKIE_SECURE", False)),
        session_cookie_http_only=True,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
    )
    app.after_request(_no_store)
