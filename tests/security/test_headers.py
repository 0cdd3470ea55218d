"""Security headers: CSP without inline script (nonces only) nor inline style (a few of FAB's
attribute values by hash), no framing, no sniffing, a strict referrer, HSTS in production,
no-store on personal answers, no Server banner from gunicorn."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.factories import create_user
from tests.helpers import auth, web_login

SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def nonce_of(response) -> str:
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    return re.search(r"'nonce-([^']+)'", csp).group(1)


def check_page(response) -> None:
    assert response.status_code == 200, response.status_code
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]  # neither scripts nor styles
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    nonce = nonce_of(response)
    html = response.get_data(as_text=True)
    for attributes in SCRIPT.findall(html):
        if "src=" not in attributes:
            assert f'nonce="{nonce}"' in attributes, attributes
    assert not HANDLER.search(re.sub(r"<script\b.*?</script>", "", html, flags=re.S | re.I))


@pytest.fixture
def people(app):
    with app.app_context():
        create_user("admin", "Admin")
        create_user("citizen", "Citizen")


@pytest.mark.parametrize("path", ["/", "/account/login", "/account/register", "/lookup"])
def test_public_pages_carry_the_headers(client, path):
    check_page(client.get(path))


@pytest.mark.parametrize("path", ["/admin/", "/dossiermodelview/list/", "/users/list/",
                                  "/users/add", "/roles/list/", "/resetmypassword/form",
                                  "/dossiereventmodelview/list/"])
def test_back_office_pages_use_nonces_for_their_scripts(client, people, path):
    web_login(client, "admin")
    response = client.get(path)
    check_page(response)


def test_personal_answers_are_not_stored(client, people):
    web_login(client, "citizen")
    assert client.get("/account/profile").headers["Cache-Control"] == "no-store"
    headers = auth(client, "citizen")
    assert client.get("/api/v1/dossiers", headers=headers).headers["Cache-Control"] == "no-store"
    anonymous = client.application.test_client()
    assert anonymous.get("/static/favicon.svg").headers.get("Cache-Control") != "no-store"


def test_hsts_in_production_only(make_app):
    from app.core import headers as security_headers

    assert "Strict-Transport-Security" not in make_app().test_client().get(
        "/", base_url="https://localhost").headers
    production = make_app(ENV_NAME="production")
    assert production.extensions is not None and security_headers.CSP
    response = production.test_client().get("/", base_url="https://localhost")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_sends_no_server_banner(tmp_path):
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "MOTCUA_ENV": "testing"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                               "--bind", f"127.0.0.1:{port}", "--workers", "1", "run:app"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/favicon.svg", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        assert response.status == 200 and response.headers.get("Server") is None
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_style_attributes_allowed_by_hash_are_still_fabs():
    """Each value the policy allows by hash is one FAB still writes (else the allowance goes), and
    only attributes are allowed so: `<style>` elements and other values stay refused."""
    from pathlib import Path

    import flask_appbuilder

    from app.core.headers import CSP, FAB_STYLE_ATTRIBUTES, style_hash

    fab = Path(flask_appbuilder.__file__).parent
    sources = ((fab / "templates/appbuilder/general/lib.html").read_text()
               + (fab / "static/appbuilder/js/ab_filters.js").read_text())
    for value in FAB_STYLE_ATTRIBUTES:
        assert f'style="{value}"' in sources or f"'style', \"{value}\"" in sources, value
    assert CSP["style-src"] == "'self'"
    assert CSP["style-src-attr"].split() == ["'unsafe-hashes'", *map(style_hash, FAB_STYLE_ATTRIBUTES)]
