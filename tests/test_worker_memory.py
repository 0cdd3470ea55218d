"""Worker memory (issue 15, docs/performance.md "Worker memory"): a web worker does not load at
start the libraries only a few requests use, and each of those requests still works when it
loads them itself (their own tests: tests/documents, tests/portal, tests/backoffice…).

The imports are checked in a fresh interpreter started as gunicorn starts a worker: the test
process has long loaded everything."""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Packages a worker loads only when a request needs them (≈ 70 MB together).
LOADED_WHEN_USED = [
    "fpdf", "fontTools",            # official papers (PDF)
    "pyhanko", "pyhanko_certvalidator", "aiohttp",  # signing and checking signed results
    "openpyxl",                     # the register as a workbook
    "authlib",                      # OpenID Connect, when a provider is configured
    "alembic", "flask_migrate", "mako", "pygments",  # `flask db …`
    "captcha",                      # the registration page's picture and voice
    "holidays",                     # the first due date
    "vietnam_provinces",            # `flask units import`
]


def fresh_worker(tmp_path, code: str) -> dict:
    """Run `code` after create_app('production') in a new interpreter; it prints JSON."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "MOTCUA_ENV": "production",
           "SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": f"sqlite:///{tmp_path}/w.db",
           "RATELIMIT_ENABLED": "false", "RATELIMIT_STORAGE_URI": "memory://",
           "PAYMENT_GATEWAY": "vnpay",
           "VNPAY_TMN_CODE": "TEST", "VNPAY_HASH_SECRET": "x" * 32,
           "VNPAY_URL": "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"}
    script = "import json, sys\nfrom app import create_app\napp = create_app('production')\n" + code
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_started_worker_has_not_loaded_what_only_some_requests_use(tmp_path):
    loaded = fresh_worker(tmp_path, (
        f"names = {LOADED_WHEN_USED!r}\n"
        "print(json.dumps(sorted(n for n in names if n in sys.modules)))\n"))
    assert loaded == []


def test_due_dates_load_the_holidays_of_viet_nam_alone_and_match_the_package(tmp_path):
    """`holidays.country_holidays` would import the package's 250 countries (≈ 8 MB)."""
    found = fresh_worker(tmp_path, (
        "import datetime as dt\n"
        "from app.workdays import add_working_days, is_working_day\n"
        "due = add_working_days(dt.date(2026, 2, 12), 5)\n"
        "countries = 'holidays.countries' in sys.modules\n"
        "years = range(2024, 2029)\n"
        "ours = [[is_working_day(dt.date(y, 1, 1) + dt.timedelta(d)) for d in range(365)] for y in years]\n"
        "import holidays\n"
        "theirs = [[holidays.country_holidays('VN', years=y).is_working_day(dt.date(y, 1, 1) + dt.timedelta(d))\n"
        "           for d in range(365)] for y in years]\n"
        "print(json.dumps({'due': due.isoformat(), 'countries': countries, 'same': ours == theirs}))\n"))
    # Thursday 12 February 2026 + 5 working days, over the Tết holidays.
    assert found == {"due": "2026-02-26", "countries": False, "same": True}


def flask_cli(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "FLASK_APP": str(ROOT / "run.py"),
           "MOTCUA_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    return subprocess.run([str(Path(sys.executable).parent / "flask"), *args], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)


def test_migration_commands_still_run_through_flask_db(tmp_path):
    listed = flask_cli(tmp_path, "db", "--help")
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert "upgrade" in listed.stdout and "downgrade" in listed.stdout
    upgraded = flask_cli(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    current = flask_cli(tmp_path, "db", "current")
    newest = sorted(p.stem for p in (ROOT / "migrations" / "versions").glob("0*.py"))[-1]
    assert current.returncode == 0 and f"{newest} (head)" in current.stdout, current.stderr[-2000:]
    unknown = flask_cli(tmp_path, "db", "nosuch")
    assert unknown.returncode != 0 and "No such command 'nosuch'" in unknown.stderr
