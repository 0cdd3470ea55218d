"""Many citizens filing at once behind a real gunicorn on PostgreSQL: every accepted submission
stored exactly once, codes unique and gap-free, no 5xx. `make soak` runs 200 citizens; `make test`
runs the same scenario with 10 (MOTCUA_SOAK_CITIZENS overrides either)."""
from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter

import pytest
import requests
from sqlalchemy import select

from app.dossiers.models import Dossier
from app.extensions import db
from tests.factories import PASSWORD, create_user
from tests.portal.data import birth_data, pdf_bytes
from tests.soak.processes import start_gunicorn, stop

CITIZENS = int(os.environ.get("MOTCUA_SOAK_CITIZENS") or (200 if os.environ.get("MOTCUA_SOAK") == "1" else 10))
pytestmark = pytest.mark.runs_reduced  # conftest: part of `make test` on PostgreSQL, at reduced size


def test_concurrent_citizens_file_and_submit_each_dossier_exactly_once(app, birth, soak, tmp_path):
    with app.app_context():
        for n in range(CITIZENS):
            create_user(f"soak{n}", "Citizen", phone=f"09{n:08d}")
        db.session.remove()
    server, port = start_gunicorn(os.environ["TEST_DATABASE_URL"], workers=4,
                                  UPLOAD_DIR=str(tmp_path / "uploads"))
    base = f"http://127.0.0.1:{port}"
    answers: Counter[str] = Counter()
    submitted: dict[str, str] = {}
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CITIZENS)

    def citizen(n: int) -> None:
        session = requests.Session()
        try:
            token = session.post(f"{base}/api/v1/security/login", timeout=120, json={
                "username": f"soak{n}", "password": PASSWORD, "provider": "db"}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            start.wait(timeout=300)  # everyone files at the same moment
            body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
                    "contact": {"phone": f"09{n:08d}", "email": f"soak{n}@example.test"},
                    "delivery": {"method": "office"}}
            created = session.post(f"{base}/api/v1/dossiers/", json=body, timeout=120,
                                   headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
            code = created.json()["code"]
            attached = session.post(f"{base}/api/v1/dossiers/{code}/attachments", timeout=120,
                                    headers=headers, data={"document_key": "giay_chung_sinh"},
                                    files={"file": ("giay-chung-sinh.pdf", pdf_bytes(), "application/pdf")})
            done = session.post(f"{base}/api/v1/dossiers/{code}/submit", headers=headers, timeout=120)
            with lock:
                answers.update(str(r.status_code) for r in (created, attached, done))
                if done.status_code == 200:
                    submitted[f"soak{n}"] = code
        except Exception as exc:  # noqa: BLE001 - counted and reported in the table
            with lock:
                failures.append(f"soak{n}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(CITIZENS)]
    began = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
    finally:
        stop(server)
    elapsed = time.monotonic() - began
    with app.app_context():
        rows = db.session.execute(select(Dossier.code, Dossier.status, Dossier.applicant_id)).all()
        db.session.remove()
    codes = [code for code, _status, _applicant in rows]
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    stored_submitted = sum(1 for _code, status, _a in rows if status == "submitted")
    name = f"web: {CITIZENS} citizens filing at once"
    five_xx = sum(n for status, n in answers.items() if status.startswith("5"))
    soak(name, "submissions answered 200", f"{len(submitted)}/{CITIZENS}", f"{CITIZENS}/{CITIZENS}",
         len(submitted) == CITIZENS)
    soak(name, "5xx answers", five_xx, "0", five_xx == 0)
    soak(name, "client errors", len(failures), "0", not failures)
    soak(name, "dossiers stored / submitted", f"{len(rows)} / {stored_submitted}",
         f"{CITIZENS} / {CITIZENS}", len(rows) == CITIZENS == stored_submitted)
    soak(name, "codes unique and gap-free", f"{len(set(codes))} unique, numbers {numbers[:1]}…{numbers[-1:]}",
         f"1…{CITIZENS}", numbers == list(range(1, CITIZENS + 1)))
    soak(name, "seconds", f"{elapsed:.1f}", "", True)
    assert not failures, failures[:5]
    assert len(submitted) == CITIZENS and five_xx == 0
    assert len(rows) == CITIZENS == stored_submitted
    assert numbers == list(range(1, CITIZENS + 1)), numbers
