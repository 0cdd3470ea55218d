"""The web tier under faults, behind a real gunicorn: a database outage under concurrent API
writers, and workers SIGKILLed in the middle of uploads."""
from __future__ import annotations

import random
import threading
import time
import uuid

import requests
from sqlalchemy import func, select

from app.dossiers.models import Attachment, Dossier
from app.extensions import db
from tests.factories import PASSWORD
from tests.faults.pgproxy import PgProxy, database_url_from_env
from tests.portal.data import birth_data, pdf_bytes
from tests.soak.processes import gunicorn_workers, start_gunicorn, stop

CONTACT = {"phone": "0912345678", "email": "an@example.test"}
WRITERS, EACH = 16, 10


def login(base: str) -> dict[str, str]:
    for _ in range(30):
        try:
            response = requests.post(f"{base}/api/v1/security/login", timeout=10, json={
                "username": "citizen", "password": PASSWORD, "provider": "db"})
            if response.status_code == 200:
                return {"Authorization": f"Bearer {response.json()['access_token']}"}
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError("cannot log in")


def test_a_database_outage_under_concurrent_writers_answers_503_and_loses_or_doubles_nothing(
        app, birth, soak, tmp_path):
    proxy = PgProxy(database_url_from_env())
    server, port = start_gunicorn(proxy.url, workers=3, UPLOAD_DIR=str(tmp_path / "uploads"))
    base = f"http://127.0.0.1:{port}"
    try:
        headers = login(base)
    except BaseException:
        stop(server)
        proxy.close()
        raise
    counts = {"201/200": 0, "503": 0, "500": 0, "other": 0, "connection": 0}
    answered: dict[str, str] = {}
    lock = threading.Lock()
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": CONTACT, "delivery": {"method": "office"}}

    def writer(index: int) -> None:
        session = requests.Session()
        for n in range(EACH):
            key = f"soak-{index}-{n}-{uuid.uuid4().hex[:6]}"
            while True:  # a client retrying with the same key until it has an answer
                try:
                    response = session.post(f"{base}/api/v1/dossiers/", json=body, timeout=30,
                                            headers={**headers, "Idempotency-Key": key})
                except requests.RequestException:
                    with lock:
                        counts["connection"] += 1
                    time.sleep(0.3)
                    continue
                status = response.status_code
                with lock:
                    bucket = "201/200" if status in (200, 201) else str(status) if status in (500, 503) else "other"
                    counts[bucket] += 1
                if status in (200, 201):
                    with lock:
                        answered[key] = response.json()["code"]
                    break
                if status == 503:
                    time.sleep(min(1.0, float(response.headers.get("Retry-After", 1)) / 10))
                    continue
                break

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        proxy.down()  # the database is gone for 3 seconds
        time.sleep(3)
        proxy.up()
        for _ in range(12):  # and commits whose answer is lost, or which are lost, now and then
            proxy.mode = random.choice(["lose_answer", "lose_commit"])
            time.sleep(0.4)
        proxy.mode = None
        for thread in threads:
            thread.join(timeout=180)
    finally:
        stop(server)
        proxy.close()
    elapsed = time.monotonic() - started
    with app.app_context():
        per_key = dict(db.session.execute(select(Dossier.idempotency_key, func.count())
                                          .group_by(Dossier.idempotency_key)).all())
        codes = dict(db.session.execute(select(Dossier.idempotency_key, Dossier.code)).all())
        db.session.remove()
    total = WRITERS * EACH
    name = "web: PostgreSQL outage + lost COMMITs"
    soak(name, "keys answered 201/200", f"{len(answered)}/{total}", f"{total}/{total}", len(answered) == total)
    soak(name, "answers 500", counts["500"], "0", counts["500"] == 0)
    soak(name, "answers 503 (then retried)", counts["503"], "> 0", counts["503"] > 0)
    soak(name, "commits cut by the proxy", proxy.commits_cut, "> 0", proxy.commits_cut > 0)
    doubles = sum(1 for n in per_key.values() if n > 1)
    soak(name, "dossiers per key", f"{len(per_key)} keys, {doubles} doubled", f"{total} keys, 0 doubled",
         len(per_key) == total and doubles == 0)
    wrong = sum(1 for key, code in answered.items() if codes.get(key) != code)
    soak(name, "answered code ≠ stored code", wrong, "0", wrong == 0)
    soak(name, "seconds", f"{elapsed:.1f}", "", True)
    assert len(answered) == total and counts["500"] == 0 and doubles == 0 and wrong == 0


def big_pdf(n: int) -> bytes:
    """A 1.5 MB PDF that still ends as a PDF must."""
    base = pdf_bytes(f"tep {n}")
    head, tail = base.rsplit(b"%%EOF", 1)
    return head + b"%" + b"x" * 1_500_000 + b"\n%%EOF" + tail


def test_gunicorn_workers_killed_mid_upload_leave_nothing_after_doctor_fix(app, birth, soak, tmp_path):
    uploads = tmp_path / "uploads"
    url = database_url_from_env()
    server, port = start_gunicorn(url, workers=3, UPLOAD_DIR=str(uploads))
    base = f"http://127.0.0.1:{port}"
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": CONTACT, "delivery": {"method": "office"}}
    try:
        headers = login(base)
        drafts = [requests.post(f"{base}/api/v1/dossiers/", json=body, headers=headers,
                                timeout=30).json()["code"] for _ in range(12)]
    except BaseException:
        stop(server)
        raise
    counts = {"stored": 0, "cut": 0, "kills": 0}
    lock = threading.Lock()
    uploads_each, uploaders = 15, 6
    calm = threading.Event()

    def uploader(index: int) -> None:
        session = requests.Session()
        for n in range(uploads_each):
            key, code, data = f"up-{index}-{n}", drafts[(index + n) % len(drafts)], big_pdf(index * 100 + n)
            while True:
                try:
                    response = session.post(
                        f"{base}/api/v1/dossiers/{code}/attachments", timeout=30,
                        headers={**headers, "Idempotency-Key": key},
                        files={"file": (f"tep-{index}-{n}.pdf", data, "application/pdf")},
                        data={"document_key": "giay_chung_sinh"})
                except requests.RequestException:
                    with lock:
                        counts["cut"] += 1
                    time.sleep(0.2)
                    continue
                if response.status_code in (200, 201):
                    with lock:
                        counts["stored"] += 1
                    break
                if response.status_code >= 500:
                    time.sleep(0.2)
                    continue
                raise AssertionError(response.text)

    def killer() -> None:
        # A worker needs seconds to boot (the app is built in it), more on a busy machine: kill
        # only a worker seen up for two rounds, when all three are, so that uploads are cut
        # mid-way yet the server keeps serving.
        import os
        import signal

        seen: set[int] = set()
        while not calm.wait(1.0):
            pids = set(gunicorn_workers(server))
            settled = pids & seen
            seen = pids
            if len(pids) == 3 and settled:
                try:
                    os.kill(random.choice(sorted(settled)), signal.SIGKILL)  # a worker of ours
                    counts["kills"] += 1
                    seen = set()
                except ProcessLookupError:
                    pass

    threads = [threading.Thread(target=uploader, args=(i,)) for i in range(uploaders)]
    for thread in threads + [threading.Thread(target=killer, daemon=True)]:
        thread.start()
    try:
        for thread in threads:
            thread.join(timeout=240)
    finally:
        calm.set()
        stop(server)
    assert not any(t.is_alive() for t in threads), counts
    runner = app.test_cli_runner()
    saved = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = str(uploads)
    app.extensions.pop("motcua_storage", None)
    try:
        found = runner.invoke(args=["doctor"])
        leftovers = [line for line in found.output.splitlines()
                     if line.startswith(("orphaned file", "temporary file"))]
        others = [line for line in found.output.splitlines()
                  if ":" in line and not line.startswith(("orphaned file", "temporary file", "doctor:"))]
        fixed = runner.invoke(args=["doctor", "--fix", "--older-than", "0"])
        after = runner.invoke(args=["doctor"])
    finally:
        app.config["UPLOAD_DIR"] = saved
        app.extensions.pop("motcua_storage", None)
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(Attachment))
        keys = db.session.scalar(select(func.count(func.distinct(Attachment.idempotency_key))))
        db.session.remove()
    total = uploads_each * uploaders
    name = "web: gunicorn workers SIGKILLed mid-upload"
    soak(name, "workers killed / uploads cut", f"{counts['kills']} / {counts['cut']}", "> 0", counts["kills"] > 0)
    soak(name, "uploads stored (retried with their key)", f"{counts['stored']}/{total}", f"{total}/{total}",
         counts["stored"] == total)
    soak(name, "attachment rows / distinct keys", f"{rows} / {keys}", f"{total} / {total}",
         rows == total and keys == total)
    soak(name, "leftovers found by doctor", len(leftovers), "any", True)
    soak(name, "other inconsistencies", len(others), "0", not others)
    soak(name, "doctor after --fix", f"exit {after.exit_code}", "exit 0",
         after.exit_code == 0 and fixed.exit_code == 0)
    assert counts["stored"] == total and rows == total and not others and after.exit_code == 0, \
        found.output + after.output
