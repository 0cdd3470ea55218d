"""A backup taken while citizens upload: the restored pair is consistent (docs/operations.md)."""
from __future__ import annotations

import threading
import time

import requests

from app import create_app
from app.extensions import db
from tests.faults.pgproxy import database_url_from_env
from tests.faults.test_backup import fresh_database, run  # noqa: F401 - fixture reused
from tests.portal.data import birth_data
from tests.soak.processes import start_gunicorn, stop
from tests.soak.test_soak_web import CONTACT, big_pdf, login


def test_a_backup_taken_under_uploads_restores_to_a_consistent_pair(app, birth, soak, tmp_path,
                                                                    fresh_database):  # noqa: F811
    uploads = tmp_path / "uploads"
    url = database_url_from_env()
    server, port = start_gunicorn(url, workers=3, UPLOAD_DIR=str(uploads))
    base = f"http://127.0.0.1:{port}"
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": CONTACT, "delivery": {"method": "office"}}
    calm = threading.Event()
    stored = {"n": 0}

    def uploader(index: int) -> None:
        session = requests.Session()
        code = session.post(f"{base}/api/v1/dossiers/", json=body, headers=headers, timeout=30).json()["code"]
        n = 0
        while not calm.is_set():
            try:
                response = session.post(f"{base}/api/v1/dossiers/{code}/attachments", headers=headers,
                                        files={"file": (f"t{n}.pdf", big_pdf(index * 1000 + n),
                                                        "application/pdf")},
                                        data={"document_key": "giay_chung_sinh"}, timeout=30)
            except requests.RequestException:
                continue
            if response.status_code == 201:
                stored["n"] += 1
            elif response.status_code == 413:  # the dossier is full: the next one
                code = session.post(f"{base}/api/v1/dossiers/", json=body, headers=headers,
                                    timeout=30).json()["code"]
            n += 1

    threads: list[threading.Thread] = []
    try:
        headers = login(base)
        threads += [threading.Thread(target=uploader, args=(i,), daemon=True) for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(4)
        started = time.monotonic()
        run("backup.sh", str(tmp_path / "backup"), DATABASE_URL=url, UPLOAD_DIR=str(uploads))
        backup_seconds = time.monotonic() - started
        time.sleep(2)
    finally:
        calm.set()
        for thread in threads:
            thread.join(timeout=30)
        stop(server)
    run("restore.sh", str(tmp_path / "backup"), DATABASE_URL=fresh_database,
        UPLOAD_DIR=str(tmp_path / "restored"))
    restored = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_database,
                          UPLOAD_DIR=str(tmp_path / "restored"))
    try:
        runner = restored.test_cli_runner()
        verify = runner.invoke(args=["audit", "verify"])
        report = runner.invoke(args=["doctor"]).output.splitlines()
        fixed = runner.invoke(args=["doctor", "--fix", "--older-than", "0"])
        after = runner.invoke(args=["doctor"])
    finally:
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()
    orphans = sum(line.startswith("orphaned file") for line in report)
    serious = [line for line in report if ":" in line and not line.startswith(("orphaned file", "doctor:"))]
    name = "backup while uploading"
    soak(name, "uploads during the run", stored["n"], "> 0", stored["n"] > 0)
    soak(name, "seconds for backup.sh", f"{backup_seconds:.1f}", "", True)
    soak(name, "audit verify on the restored copy", f"exit {verify.exit_code}", "exit 0", verify.exit_code == 0)
    soak(name, "files newer than the dump (orphans)", orphans, "any; removed by --fix", True)
    soak(name, "missing files or mismatches", len(serious), "0", not serious)
    soak(name, "doctor after --fix --older-than 0", f"exit {after.exit_code}", "exit 0",
         after.exit_code == 0 and fixed.exit_code == 0)
    assert verify.exit_code == 0 and not serious and after.exit_code == 0, "\n".join(report)
