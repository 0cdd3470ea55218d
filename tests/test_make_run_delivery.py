"""Under `make run` every notification leaves without a second command (issue 10, item 4):
development delivers after each commit, and the Makefile starts a worker that stops with the
server for whatever inline delivery could not send."""
from __future__ import annotations

import re
from pathlib import Path

from config import DevelopmentConfig

ROOT = Path(__file__).resolve().parents[1]


def test_development_delivers_every_message_after_its_commit():
    config = {k: getattr(DevelopmentConfig, k) for k in dir(DevelopmentConfig) if k.isupper()}
    assert config.get("OUTBOX_DELIVER_INLINE", config.get("MAIL_BACKEND_LOG_ONLY", False)) is True


def test_make_run_starts_a_delivery_worker_beside_the_server_and_stops_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nrun: translations", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"flask outbox run --interval \d+ &", recipe)
    assert "trap 'kill $$worker" in recipe and "flask run --host 127.0.0.1 --port $(PORT)" in recipe
