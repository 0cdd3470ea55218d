"""gunicorn settings read from the repository root (gunicorn loads ./gunicorn.conf.py itself):
no Server banner naming the software, and the timeouts docs/operations.md assumes."""
from gunicorn.http import wsgi

timeout = 30
graceful_timeout = 30

_default_headers = wsgi.Response.default_headers


def _without_server_banner(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server_banner
