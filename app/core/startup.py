"""Refuse to start in production on a weak key, an unreachable database or a per-worker
limiter store; give development a random key of its own and keep it on this machine."""
from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path

from flask import Flask, abort, request
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

MIN_SECRET_BYTES = 32
WEAK_SECRETS = {"changeme", "secret", "dev", "development"}


def _fail(reason: str) -> None:
    # SystemExit with a string prints one line and no traceback.
    raise SystemExit(f"motcua: refusing to start: {reason}")


SHARED_LIMITER_STORES = ("redis", "rediss", "redis+sentinel", "redis+cluster", "valkey", "valkeys",
                         "memcached", "mongodb")


def development_key(instance_path: str) -> str:
    """A random key made once per checkout and kept in instance/ (never one from the repository)."""
    path = Path(instance_path) / "dev-secret-key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


def is_loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def _local_clients_only() -> None:
    """A development server answers this machine only: its settings are not for the world."""
    if not is_loopback(request.remote_addr):
        abort(403)


def prepare_environment(app: Flask) -> None:
    """Development: a key of its own if none is given, and loopback clients only."""
    if app.config.get("ENV_NAME") != "development":
        return
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = development_key(app.instance_path)
    app.before_request(_local_clients_only)


def check_limiter_store(uri: str) -> None:
    """Counters shared by every worker and instance, and reachable now."""
    scheme = (uri or "memory://").split(":", 1)[0].lower()
    if scheme not in SHARED_LIMITER_STORES:
        _fail(f"RATELIMIT_STORAGE_URI={uri or 'memory://'} keeps counters per worker; point it at "
              "Redis shared by every worker (e.g. RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0).")
    from limits.storage import storage_from_string

    try:
        reachable = storage_from_string(uri).check()
    except Exception as exc:  # a missing driver or a refused connection: the operator must act
        _fail(f"cannot use RATELIMIT_STORAGE_URI ({scheme}): {exc}")
    if not reachable:
        _fail(f"cannot reach the rate-limit store of RATELIMIT_STORAGE_URI ({scheme}).")


def check_startup(app: Flask) -> None:
    """Run the production start-up checks when STRICT_STARTUP_CHECKS is on."""
    prepare_environment(app)
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
    if app.config.get("RATELIMIT_ENABLED", True):
        check_limiter_store(app.config.get("RATELIMIT_STORAGE_URI") or "")


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto/-Host from exactly PROXY_COUNT proxies, no more: behind
    nginx each client keeps its own rate-limit bucket, and nobody can choose theirs."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
