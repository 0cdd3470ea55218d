"""Refuse to start in production on a weak key or an unreachable database."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

MIN_SECRET_BYTES = 32
WEAK_SECRETS = {"changeme", "secret", "dev", "development"}


def _fail(reason: str) -> None:
    # SystemExit with a string prints one line and no traceback.
    raise SystemExit(f"motcua: refusing to start: {reason}")


def check_startup(app: Flask) -> None:
    """Run the production start-up checks when STRICT_STARTUP_CHECKS is on."""
    if not app.config.get("STRICT_STARTUP_CHECKS"):
        return
    key = app.config.get("SECRET_KEY") or ""
    if len(key.encode()) < MIN_SECRET_BYTES or key.lower() in WEAK_SECRETS or "dev-only" in key:
        _fail(f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_BYTES} bytes "
              "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))').")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    safe_url = make_url(url).render_as_string(hide_password=True)
    connect_args = {"connect_timeout": 5} if url.startswith("postgresql") else {}
    try:
        engine = create_engine(url, connect_args=connect_args)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any driver error means the same thing to an operator
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(f"cannot reach the database {safe_url}: {first_line}")
    if (app.config.get("PAYMENT_GATEWAY") or "sandbox") == "sandbox":
        _fail("PAYMENT_GATEWAY is the sandbox, which accepts fake payments; set PAYMENT_GATEWAY=vnpay "
              "with VNPAY_TMN_CODE, VNPAY_HASH_SECRET and VNPAY_URL.")
