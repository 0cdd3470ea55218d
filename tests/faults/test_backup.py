"""Backup and restore of the database and the files together (scripts/backup.sh, restore.sh)."""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.dossiers.models import Attachment, Dossier, DossierEvent, ResultDocument
from app.extensions import db
from tests.faults.pgproxy import database_url_from_env
from tests.faults.test_files import uploads  # noqa: F401 - an upload directory of the test's own
from tests.helpers import auth, result_pdf
from tests.portal.test_outbox import submitted_dossier

ROOT = Path(__file__).resolve().parents[2]


def snapshot(app) -> dict:
    """Everything a restore must bring back, with each file's bytes hashed from storage."""
    from app.storage import get_storage

    with app.app_context():
        storage = get_storage()
        dossiers = {d.code: (d.status, d.data, d.version, d.contact_phone, d.due_date)
                    for d in db.session.scalars(select(Dossier))}
        files = {}
        for model in (Attachment, ResultDocument):
            for row in db.session.scalars(select(model)):
                files[(model.__tablename__, row.id)] = (row.storage_key, row.sha256,
                                                        hashlib.sha256(storage.read(row.storage_key)).hexdigest())
        events = [(e.dossier_id, e.action, e.hash) for e in db.session.scalars(
            select(DossierEvent).order_by(DossierEvent.id))]
        db.session.remove()
    return {"dossiers": dossiers, "files": files, "events": events}


@pytest.fixture
def fresh_database(is_postgres):
    if not is_postgres:
        pytest.skip("pg_dump and pg_restore need PostgreSQL (TEST_DATABASE_URL)")
    base = make_url(database_url_from_env())
    name = f"{base.database}_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def run(script: str, *args: str, **env: str) -> str:
    result = subprocess.run([str(ROOT / "scripts" / script), *args], capture_output=True, text=True,
                            env={**os.environ, **env}, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.postgres
def test_backup_and_restore_bring_back_every_dossier_file_and_a_verified_history(
        app, client, birth, uploads, fresh_database, tmp_path):  # noqa: F811
    codes = [submitted_dossier(client, birth) for _ in range(3)]
    officer = auth(client, "officer")
    for action in ("receive", "process"):
        response = client.post(f"/api/v1/dossiers/{codes[0]}/actions", headers=officer,
                               json={"action": action})
        assert response.status_code == 200, response.get_json()
    # a birth certificate: the officer's signed result document goes with the approval
    response = client.post(f"/api/v1/dossiers/{codes[0]}/actions", headers=officer,
                           content_type="multipart/form-data",
                           data={"action": "approve",
                                 "result_file": (io.BytesIO(result_pdf("GIAY KHAI SINH")), "kq.pdf")})
    assert response.status_code == 200, response.get_json()
    before = snapshot(app)
    assert len(before["files"]) == 4 and len(before["events"]) >= 8

    backup = tmp_path / "backup"
    run("backup.sh", str(backup), DATABASE_URL=database_url_from_env(), UPLOAD_DIR=str(uploads))
    assert (backup / "database.dump").stat().st_size > 0

    target_dir = tmp_path / "restored-uploads"
    out = run("restore.sh", str(backup), DATABASE_URL=fresh_database, UPLOAD_DIR=str(target_dir))
    assert "restored" in out
    restored = create_app("testing", SQLALCHEMY_DATABASE_URI=fresh_database, UPLOAD_DIR=str(target_dir))
    try:
        after = snapshot(restored)
        assert after == before  # every dossier, every file byte for byte, every event
        runner = restored.test_cli_runner()
        verify = runner.invoke(args=["audit", "verify"])
        assert verify.exit_code == 0, verify.output
        doctor = runner.invoke(args=["doctor"])
        assert doctor.exit_code == 0, doctor.output
    finally:
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.postgres
def test_restore_refuses_a_tampered_file_and_a_non_empty_directory(
        app, client, birth, uploads, fresh_database, tmp_path):  # noqa: F811
    submitted_dossier(client, birth)
    backup = tmp_path / "backup"
    run("backup.sh", str(backup), DATABASE_URL=database_url_from_env(), UPLOAD_DIR=str(uploads))
    stored = next(p for p in (backup / "files").rglob("*") if p.is_file())
    stored.write_bytes(stored.read_bytes() + b"x")
    env = {**os.environ, "DATABASE_URL": fresh_database, "UPLOAD_DIR": str(tmp_path / "target")}
    tampered = subprocess.run([str(ROOT / "scripts" / "restore.sh"), str(backup)], env=env,
                              capture_output=True, text=True)
    assert tampered.returncode != 0 and "FAILED" in tampered.stdout + tampered.stderr
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    busy = subprocess.run([str(ROOT / "scripts" / "restore.sh"), str(backup)], capture_output=True,
                          text=True, env={**env, "UPLOAD_DIR": str(tmp_path / "busy")})
    assert busy.returncode == 1 and "not empty" in busy.stderr
