"""Files follow their rows: savepoints, retried and cut-off uploads, and `flask doctor`."""
from __future__ import annotations

import hashlib
import os

import pytest
from sqlalchemy import func, select

from app.dossiers.models import Attachment, Dossier
from app.extensions import db
from tests.helpers import auth, web_login
from tests.portal.data import birth_data, pdf_bytes, png_bytes, upload

CONTACT = {"phone": "0912345678", "email": "an@example.test"}


@pytest.fixture
def uploads(app, tmp_path):
    """An upload directory of this test's own, so that files of other tests are not orphans here."""
    saved = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    app.extensions.pop("motcua_storage", None)
    yield tmp_path / "uploads"
    app.config["UPLOAD_DIR"] = saved
    app.extensions.pop("motcua_storage", None)


def new_draft(client, headers, birth) -> str:
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": CONTACT, "delivery": {"method": "office"}}
    response = client.post("/api/v1/dossiers/", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["code"]


def post_file(client, headers, code, data: bytes, name="gcs.pdf", key="giay_chung_sinh", **form):
    return client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                       data={"document_key": key, "file": upload(data, name), **form},
                       content_type="multipart/form-data")


def files_on_disk(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_refused_second_replacement_keeps_the_first_replacement_and_its_file(app, client, birth, uploads):
    headers = auth(client, "citizen")
    code = new_draft(client, headers, birth)
    first = post_file(client, headers, code, pdf_bytes("mot")).get_json()
    second = post_file(client, headers, code, pdf_bytes("hai")).get_json()
    web_login(client, "citizen")
    response = client.post(f"/my/dossiers/{code}/documents", content_type="multipart/form-data", data={
        f"replace-{first['id']}": upload(pdf_bytes("mot, ban moi"), "moi.pdf"),
        f"replace-{second['id']}": upload(b"MZ not a pdf", "xau.pdf")})
    assert response.status_code == 200  # the refused one is reported beside its document
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    ids = [a["id"] for a in detail["attachments"]]
    assert second["id"] in ids and first["id"] not in ids and len(ids) == 2
    replaced = next(a for a in detail["attachments"] if a["id"] != second["id"])
    download = client.get(f"/api/v1/dossiers/{code}/attachments/{replaced['id']}", headers=headers)
    assert download.status_code == 200 and download.data == pdf_bytes("mot, ban moi")
    assert len(files_on_disk(uploads)) == 2  # the replaced file went, nothing is left over
    report = app.test_cli_runner().invoke(args=["doctor"])
    assert report.exit_code == 0, report.output


def test_an_upload_retried_with_its_idempotency_key_answers_the_first_file(app, client, birth, uploads):
    headers = auth(client, "citizen")
    code = new_draft(client, headers, birth)
    keyed = {**headers, "Idempotency-Key": "tep-1"}
    first = post_file(client, keyed, code, pdf_bytes())
    again = post_file(client, keyed, code, pdf_bytes())
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    for changed in ({"data": pdf_bytes("khac")}, {"data": pdf_bytes(), "name": "khac.pdf"}):
        refused = post_file(client, keyed, code, **changed)
        assert refused.status_code == 422 and "Idempotency-Key" in refused.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    assert len(files_on_disk(uploads)) == 1  # a retry stores no second copy
    assert post_file(client, headers, code, pdf_bytes()).status_code == 201  # without a key: a new file


def test_a_creation_key_reused_with_another_body_answers_422(client, birth):
    headers = {**auth(client, "citizen"), "Idempotency-Key": "khai-sinh-9"}
    body = {"procedure": birth["procedure"], "unit": birth["unit"], "data": birth_data(),
            "contact": CONTACT, "delivery": {"method": "office"}}
    first = client.post("/api/v1/dossiers/", json=body, headers=headers)
    assert first.status_code == 201
    assert client.post("/api/v1/dossiers/", json=body, headers=headers).get_json()["code"] == \
        first.get_json()["code"]
    other = {**body, "contact": {**CONTACT, "phone": "0987654321"}}
    refused = client.post("/api/v1/dossiers/", json=other, headers=headers)
    assert refused.status_code == 422
    assert first.get_json()["code"] in refused.get_json()["message"]
    too_long = client.post("/api/v1/dossiers/", json=body, headers={**headers, "Idempotency-Key": "k" * 101})
    assert too_long.status_code == 422


def test_cut_off_files_and_a_wrong_sha256_are_refused(client, birth):
    headers = auth(client, "citizen")
    code = new_draft(client, headers, birth)
    whole_pdf, whole_png = pdf_bytes(), png_bytes()
    for data, name in ((whole_pdf[: len(whole_pdf) * 2 // 3], "cut.pdf"), (whole_png[:-10], "cut.png")):
        response = post_file(client, headers, code, data, name)
        assert response.status_code == 422, name
        assert response.get_json()["errors"][0]["path"] == "/file"
    wrong = post_file(client, headers, code, whole_pdf, sha256="0" * 64)
    assert wrong.status_code == 422 and wrong.get_json()["errors"][0]["path"] == "/sha256"
    right = post_file(client, headers, code, whole_pdf, sha256=hashlib.sha256(whole_pdf).hexdigest())
    assert right.status_code == 201
    assert post_file(client, headers, code, whole_png, "anh.png").status_code == 201


def age(path, hours: float) -> None:
    stamp = path.stat().st_mtime - hours * 3600
    os.utime(path, (stamp, stamp))


def test_doctor_lists_every_inconsistency_and_fix_removes_only_old_leftovers(app, client, birth, uploads):
    headers = auth(client, "citizen")
    code = new_draft(client, headers, birth)
    ids = [post_file(client, headers, code, pdf_bytes(f"tep {i}")).get_json()["id"] for i in range(4)]
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["doctor"])
    assert clean.exit_code == 0 and "all consistent" in clean.output, clean.output
    with app.app_context():
        keys = {a.id: a.storage_key for a in db.session.scalars(select(Attachment))}
    (uploads / keys[ids[0]]).unlink()                                       # a row without its file
    (uploads / keys[ids[1]]).write_bytes(pdf_bytes("tep 1 da bi sua doi"))  # another size
    altered = bytearray((uploads / keys[ids[2]]).read_bytes())
    altered[20] ^= 1
    (uploads / keys[ids[2]]).write_bytes(bytes(altered))                    # same size, other bytes
    folder = uploads / "dossiers" / code
    old_orphan, young_orphan, temp = folder / "old.pdf", folder / "young.pdf", folder / ".upload-x1"
    for path in (old_orphan, young_orphan, temp):
        path.write_bytes(pdf_bytes())
    age(old_orphan, 2)
    age(temp, 2)
    with app.app_context():  # a row pointing at a dossier that does not exist
        orphan = Attachment.__table__.insert().values(
            dossier_id=999999, document_key="x", filename="x.pdf", content_type="application/pdf",
            size=3, sha256="0" * 64, storage_key=f"dossiers/{code}/old.pdf")
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("SET session_replication_role = replica"))  # FKs off here
            db.session.execute(orphan)
            db.session.commit()
        else:  # foreign keys off on one connection, before its transaction (app/core/sqlite.py)
            with db.engine.connect() as connection:
                dbapi = connection.connection.dbapi_connection
                dbapi.execute("PRAGMA foreign_keys = OFF")
                connection.execute(orphan)
                connection.commit()
                dbapi.execute("PRAGMA foreign_keys = ON")
        db.session.remove()

    report = runner.invoke(args=["doctor"])
    assert report.exit_code == 1
    for expected in ("missing file", "size mismatch", "sha256 mismatch", "orphaned file",
                     "temporary file", "broken reference", "young.pdf", ".upload-x1", "attachments.dossier_id"):
        assert expected in report.output, (expected, report.output)
    assert f"dossiers/{code}/old.pdf" not in [line.split(": ", 1)[-1].split(" ")[0]
                                              for line in report.output.splitlines() if "orphaned" in line]

    with app.app_context():  # the stray row goes; old.pdf becomes an orphan like any other
        db.session.execute(Attachment.__table__.delete().where(Attachment.dossier_id == 999999))
        db.session.commit()
    fixed = runner.invoke(args=["doctor", "--fix"])
    assert fixed.exit_code == 1  # the rest needs a person, and the young orphan may be in flight
    assert not old_orphan.exists() and not temp.exists() and young_orphan.exists()
    assert "young.pdf" in fixed.output and "old.pdf" in fixed.output and "removed" in fixed.output


@pytest.mark.parametrize("moment", ["before_commit", "before_rename"])
def test_a_worker_killed_mid_upload_leaves_nothing_after_doctor_fix(app, client, birth, uploads, moment):
    import subprocess
    import sys

    headers = auth(client, "citizen")
    code = new_draft(client, headers, birth)
    script = os.path.join(os.path.dirname(__file__), "killed_upload.py")
    result = subprocess.run([sys.executable, script, app.config["SQLALCHEMY_DATABASE_URI"],
                             str(uploads), code, moment], capture_output=True, timeout=120,
                            cwd=os.path.dirname(os.path.dirname(os.path.dirname(script))))
    assert result.returncode == -9, result.stderr.decode()[-2000:]  # SIGKILL, mid-upload
    leftovers = files_on_disk(uploads)
    assert len(leftovers) == 1 and (".upload-" in leftovers[0]) == (moment == "before_rename")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert db.session.scalar(select(Dossier.code)) == code
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["doctor"])
    assert listed.exit_code == 1 and ("temporary file" if moment == "before_rename" else "orphaned file") \
        in listed.output
    assert runner.invoke(args=["doctor", "--fix", "--older-than", "0"]).exit_code == 0
    assert files_on_disk(uploads) == []
    assert runner.invoke(args=["doctor"]).exit_code == 0


def test_a_rolled_back_savepoint_takes_back_its_own_files_only(app, client, birth, uploads):
    from io import BytesIO

    from flask_appbuilder.security.sqla.models import User

    from app.dossiers.attachments import add_attachment, remove_attachment
    from app.dossiers.errors import DossierError

    headers = auth(client, "citizen")
    code = new_draft(client, headers, birth)
    kept_id = post_file(client, headers, code, pdf_bytes("giu lai")).get_json()["id"]
    with app.app_context():
        citizen = db.session.scalar(select(User).where(User.username == "citizen"))
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        before = add_attachment(citizen, dossier, "giay_chung_sinh", "truoc.pdf", BytesIO(pdf_bytes("truoc")))
        with pytest.raises(DossierError):
            with db.session.begin_nested():  # a later step of the same request, refused
                add_attachment(citizen, dossier, "giay_chung_sinh", "sau.pdf", BytesIO(pdf_bytes("sau")))
                remove_attachment(citizen, dossier, kept_id)
                raise DossierError("refused", 422)
        db.session.commit()
        rows = {a.filename: a.storage_key for a in db.session.scalars(select(Attachment))}
        assert before.filename in rows and "sau.pdf" not in rows and len(rows) == 2
    assert sorted(files_on_disk(uploads)) == sorted(rows.values())  # each row has its file, no more
    assert app.test_cli_runner().invoke(args=["doctor"]).exit_code == 0
