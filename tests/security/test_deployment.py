"""Deployment safety: no development key outside this machine, production needs its settings."""
from __future__ import annotations

import subprocess
import sys

import pytest

from app.core.startup import development_key
from tests.security.conftest import REDIS_URL, needs_redis


def run_app(env: dict, code: str = "from app import create_app; create_app()") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", **env}, timeout=60)


def production_env(tmp_path, **extra) -> dict:
    return {"MOTCUA_ENV": "production", "SECRET_KEY": "k" * 48,
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "PAYMENT_GATEWAY": "vnpay", **extra}


def test_a_misspelt_environment_refuses_to_start(tmp_path):
    result = run_app({"MOTCUA_ENV": "prodution", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert result.returncode != 0
    assert "refusing to start: MOTCUA_ENV='prodution'" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_has_no_key_from_the_repository(tmp_path, make_app):
    import config

    assert "dev-only" not in open(config.__file__).read()
    first, again, other = (development_key(str(tmp_path / "a")), development_key(str(tmp_path / "a")),
                           development_key(str(tmp_path / "b")))
    assert first == again and first != other and len(first) >= 48
    assert (tmp_path / "a" / "dev-secret-key").stat().st_mode & 0o077 == 0


def test_development_answers_this_machine_only(make_app, monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    dev = make_app("development", SECRET_KEY="")
    assert dev.config["SECRET_KEY"] and "dev-only" not in dev.config["SECRET_KEY"]
    client = dev.test_client()
    assert client.get("/api/v1/units").status_code == 200
    outside = client.get("/api/v1/units", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert outside.status_code == 403


def test_production_refuses_a_per_worker_limiter_store(tmp_path):
    result = run_app(production_env(tmp_path, RATELIMIT_STORAGE_URI="memory://"))
    assert result.returncode != 0
    assert "refusing to start: RATELIMIT_STORAGE_URI=memory://" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_refuses_without_a_secret_key(tmp_path):
    env = production_env(tmp_path, RATELIMIT_STORAGE_URI=REDIS_URL)
    del env["SECRET_KEY"]
    result = run_app(env)
    assert result.returncode != 0 and "refusing to start: SECRET_KEY" in result.stderr


@needs_redis
def test_production_recipe_starts_with_redis_and_hides_swagger(tmp_path):
    code = ("from app import create_app; from app.extensions import db; "
            "from app.security.roles import sync_roles; a = create_app(); c = a.test_client()\n"
            "with a.app_context(): db.create_all(); sync_roles(); db.session.commit()\n"
            "print(a.config['ENV_NAME'], a.debug, c.get('/swagger/v1').status_code, "
            "c.get('/api/v1/_openapi').status_code)")
    result = run_app(production_env(tmp_path, RATELIMIT_STORAGE_URI=REDIS_URL), code)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["production", "False", "404", "200"]


def test_seed_demo_refuses_in_production(app, monkeypatch):
    from app.commands import seed_demo

    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = app.test_cli_runner().invoke(seed_demo)
    assert result.exit_code != 0 and "refuses to run in production" in result.output


@pytest.mark.parametrize("proxies, expected", [(0, [200, 200, 429]), (1, [200, 200, 200])])
def test_forwarded_clients_are_told_apart_only_behind_configured_proxies(make_app, proxies, expected):
    from app.extensions import limiter

    limited = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute", PROXY_COUNT=proxies)
    limiter.reset()
    client = limited.test_client()
    codes = []
    for forwarded in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        codes.append(client.post("/account/login", data={"login": "nobody", "password": "x"},
                                 headers={"X-Forwarded-For": forwarded}).status_code)
    assert codes == expected
