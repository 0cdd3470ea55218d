"""Configuration per environment, read from environment variables."""
from __future__ import annotations

import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _database_url(default_file: str) -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / default_file}"
    # Heroku-style URLs and bare postgresql:// go through psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("postgresql"):
        # An unreachable server fails the request in seconds (503) instead of hanging a worker.
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        if "connect_timeout" not in parsed.query:
            timeout = os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")
            url = parsed.update_query_dict({"connect_timeout": timeout}).render_as_string(
                hide_password=False)
    return url


class Config:
    """Settings shared by every environment."""

    APP_NAME = "MotCua"
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _database_url("motcua.db")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    # Transparency (docs/open-data.md): months personal data is kept after a dossier ends when
    # its procedure sets no period (0 = keep), and the size cap of an auditor's CSV export.
    RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "60"))
    AUDIT_EXPORT_LIMIT = int(os.environ.get("AUDIT_EXPORT_LIMIT", "10000"))

    # Flask-AppBuilder: Alembic owns the schema, permissions are synced by a command.
    FAB_CREATE_DB = False
    FAB_UPDATE_PERMS = False
    FAB_ADD_SECURITY_API = False
    FAB_ADD_MENU_API = False  # FAB's React menu feed: our pages draw their own menus
    FAB_API_SWAGGER_UI = True
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.MotCuaSecurityManager"
    FAB_INDEX_VIEW = "app.portal.views.AdminIndexView"
    FAB_BASE_TEMPLATE = "appbuilder/layout.html"  # FAB's layout + our stylesheet (no inline styles)
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    AUTH_USER_REGISTRATION_ROLE = "Citizen"
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per 5 minute")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins allowed per account (whatever the client address), on every login door.
    ACCOUNT_LOGIN_RATE_LIMIT = os.environ.get("ACCOUNT_LOGIN_RATE_LIMIT", "10 per 15 minutes")
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (nginx: 1).
    PROXY_COUNT = _env_int("PROXY_COUNT", 0)
    JWT_ACCESS_TOKEN_EXPIRES = _env_int("JWT_ACCESS_TOKEN_EXPIRES", 3600)

    # Languages: Vietnamese first.
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    # Later directories win: our catalogue may reword FAB strings.
    BABEL_TRANSLATION_DIRECTORIES = ";".join(
        [str(BASE_DIR / "translations" / "fab"), str(BASE_DIR / "translations")]
    )
    LANGUAGES = {
        "vi": {"flag": "vn", "name": "Tiếng Việt"},
        "en": {"flag": "gb", "name": "English"},
    }

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 60 * 1024 * 1024)
    MAX_JSON_BYTES = _env_int("MAX_JSON_BYTES", 1024 * 1024)
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # FAB's file and image columns (unused): their download routes find nothing instead of a 500.
    UPLOAD_FOLDER = str(INSTANCE_DIR / "fab-files")
    IMG_UPLOAD_FOLDER = str(INSTANCE_DIR / "fab-files")
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem")
    UPLOAD_MAX_FILE_BYTES = _env_int("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
    UPLOAD_MAX_DOSSIER_BYTES = _env_int("UPLOAD_MAX_DOSSIER_BYTES", 50 * 1024 * 1024)

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "MotCua <no-reply@motcua.local>")
    MAIL_SUPPRESS_SEND = False
    MAIL_TIMEOUT = _env_int("MAIL_TIMEOUT", 10)
    MAIL_LOG_PATH = os.environ.get("MAIL_LOG_PATH")  # development mail log (instance/mail.log)
    SMS_BACKEND = os.environ.get("SMS_BACKEND", "log")
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL")
    SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN")
    SMS_GATEWAY_TIMEOUT = _env_int("SMS_GATEWAY_TIMEOUT", 10)
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_RETRY_BASE_SECONDS = _env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
    OUTBOX_RETRY_MAX_SECONDS = _env_int("OUTBOX_RETRY_MAX_SECONDS", 6 * 3600)
    # How long a worker's claim on a message lasts; longer than MAIL_TIMEOUT and a reconnection.
    OUTBOX_LEASE_SECONDS = _env_int("OUTBOX_LEASE_SECONDS", 300)
    DB_OUTAGE_RETRY_AFTER = _env_int("DB_OUTAGE_RETRY_AFTER", 15)  # Retry-After of 503 answers

    # Attachments on S3-compatible storage when STORAGE_BACKEND=s3.
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")
    S3_REGION = os.environ.get("S3_REGION")
    S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID")
    S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")

    # Rate limits of the citizen-facing forms (flask-limiter syntax).
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "10 per hour")
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per 15 minutes")
    LOOKUP_RATE_LIMIT = os.environ.get("LOOKUP_RATE_LIMIT", "10 per minute")
    # Claiming a counter dossier with its code and phone (per client address).
    CLAIM_RATE_LIMIT = os.environ.get("CLAIM_RATE_LIMIT", "5 per minute; 20 per hour")
    # The hour of appointments on the due date (docs/deadlines.md).
    DOSSIER_APPOINTMENT_TIME = os.environ.get("DOSSIER_APPOINTMENT_TIME", "16:00")
    SUBMIT_RATE_LIMIT = os.environ.get("SUBMIT_RATE_LIMIT", "10 per minute")
    # Per-user quotas (lifted by RATELIMIT_ENABLED=false): drafts opened, submissions, uploads.
    DOSSIER_CREATE_QUOTA = os.environ.get("DOSSIER_CREATE_QUOTA", "30 per hour")
    DOSSIER_SUBMIT_QUOTA = os.environ.get("DOSSIER_SUBMIT_QUOTA", "10 per hour")
    UPLOAD_QUOTA = os.environ.get("UPLOAD_QUOTA", "120 per hour")
    # Wrong phone digits allowed per dossier code (from anyone) before the code is locked a while.
    LOOKUP_CODE_LOCK = os.environ.get("LOOKUP_CODE_LOCK", "5 per 30 minutes")

    # OpenID Connect providers (e.g. VNeID): JSON in the environment, see app/accounts/oidc.py.
    OIDC_PROVIDERS = json.loads(os.environ["OIDC_PROVIDERS"]) if os.environ.get("OIDC_PROVIDERS") else None

    # Online payment (docs/payments.md): "sandbox" (a local bank signing like VNPay; refused in
    # production) or "vnpay" with the merchant's code, secret and payment URL.
    PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "sandbox")
    VNPAY_TMN_CODE = os.environ.get("VNPAY_TMN_CODE", "")
    VNPAY_HASH_SECRET = os.environ.get("VNPAY_HASH_SECRET", "")
    VNPAY_URL = os.environ.get("VNPAY_URL", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
    PAYMENT_EXPIRY_MINUTES = _env_int("PAYMENT_EXPIRY_MINUTES", 15)  # VNPay's vnp_ExpireDate
    # Results by post: the carrier and its tracking page ({number} is the tracking number).
    POSTAL_CARRIER = os.environ.get("POSTAL_CARRIER", "Bưu điện Việt Nam (VNPost)")
    POSTAL_TRACKING_URL = os.environ.get(
        "POSTAL_TRACKING_URL", "https://www.vnpost.vn/vi-vn/dinh-vi/buu-pham?key={number}")
    # Signed results: units' certificates are set in the admin; a PEM bundle of extra trust
    # roots (e.g. the national CA) may be given; the self-signed test CA is for dev and tests.
    SIGNING_TRUST_ROOTS = os.environ.get("SIGNING_TRUST_ROOTS")
    SIGNING_TEST_CA = _env_bool("SIGNING_TEST_CA", False)
    SIGNING_TEST_CA_DIR: str | None = None

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Demo@12345")
    DOSSIER_CUTOFF_HOUR = _env_int("DOSSIER_CUTOFF_HOUR", 15)
    # On resubmission after a supplement: "restart" the clock or "resume" it (docs/deadlines.md).
    DOSSIER_SUPPLEMENT_POLICY = os.environ.get("DOSSIER_SUPPLEMENT_POLICY", "restart")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    STRICT_STARTUP_CHECKS = False


class DevelopmentConfig(Config):
    """Local development on this machine: SQLite under instance/, a random key kept in instance/
    (app/core/startup.py), answering loopback clients only."""

    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    MAIL_BACKEND_LOG_ONLY = True
    SIGNING_TEST_CA = _env_bool("SIGNING_TEST_CA", True)
    SIGNING_TEST_CA_DIR = os.environ.get("SIGNING_TEST_CA_DIR", str(INSTANCE_DIR / "signing-test-ca"))


class TestingConfig(Config):
    """Test suite: a throwaway database given by TEST_DATABASE_URL or in-memory SQLite."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-pyjwt-0123456789"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    AUTH_RATE_LIMITED = False
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 0
    SERVER_NAME = None
    PAYMENT_GATEWAY = "sandbox"
    SIGNING_TEST_CA = True  # in memory: generated once per test session


class ProductionConfig(Config):
    """Production: PostgreSQL, a strong SECRET_KEY and real mail are expected."""

    ENV_NAME = "production"
    DEBUG = False
    STRICT_STARTUP_CHECKS = True
    # Swagger UI only when asked for (the OpenAPI document itself stays public).
    FAB_API_SWAGGER_UI = _env_bool("FAB_API_SWAGGER_UI", False)
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    """Pick the configuration class from the argument or MOTCUA_ENV; an unknown name stops."""
    name = name or os.environ.get("MOTCUA_ENV") or "development"
    if name not in CONFIGS:
        # A misspelt "production" must not quietly start a development server.
        raise SystemExit(f"motcua: refusing to start: MOTCUA_ENV={name!r} is not one of "
                         + ", ".join(CONFIGS))
    return CONFIGS[name]
