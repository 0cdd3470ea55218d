"""A procedure that does not ship with the project is imported, published and filed; bad files change nothing."""
from __future__ import annotations

import io
import json
from pathlib import Path

from bs4 import BeautifulSoup

from app.core.audit import AdminAuditRecord
from app.extensions import db
from app.procedures.models import Procedure, ProcedureVersion
from app.procedures.operations import get_procedure
from tests.factories import ProvinceFactory, UnitFactory, create_user
from tests.helpers import auth, web_login

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DATA = Path(__file__).parent / "data" / "nhan-cha-me-con.json"
GOOD = {
    "requester": {"full_name": "Trần Văn Bình", "citizen_id": "075090001234", "role": "cha",
                  "address": {"unit": "25279", "street": "Ấp 3"}},
    "recognized": {"full_name": "Trần Thị Cúc", "date_of_birth": "2015-04-30"},
    "children": [{"full_name": "Trần Văn Dũng", "birth_year": 2017}],
    "represented": True, "representative_name": "Lê Thị Em",
}


def _people(app):
    with app.app_context():
        province = ProvinceFactory(code="75")
        UnitFactory(code="25279", name="Xã Lộc Tấn", parent=province)
        create_user("admin", "Admin")
        create_user("citizen", "Citizen")


def test_new_definition_is_imported_in_the_admin_and_filed_through_the_api(app, client):
    _people(app)
    web_login(client, "admin")
    response = client.post("/admin/procedure-editor/import", data={
        "units": "25279", "files": [(io.BytesIO(DATA.read_bytes()), "nhan-cha-me-con.json")]},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        procedure = get_procedure("TEST.NCMC")
        assert procedure.current_version.number == 1
        assert db.session.query(AdminAuditRecord).filter_by(action="import").count() == 1

    citizen = app.test_client()
    headers = auth(citizen, "citizen")
    created = citizen.post("/api/v1/dossiers", headers=headers, json={
        "procedure": "TEST.NCMC", "unit": "25279", "data": {},
        "contact": {"phone": "0912345678", "email": "binh@example.test"}})
    assert created.status_code == 201, created.get_json()
    code = created.get_json()["code"]
    missing = dict(GOOD, representative_name=None)
    del missing["representative_name"]
    citizen.put(f"/api/v1/dossiers/{code}", headers=headers, json={"data": missing})
    refused = citizen.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert refused.status_code == 422  # the condition: represented → name required
    assert any(e["path"].endswith("/representative_name") for e in refused.get_json()["errors"])
    citizen.put(f"/api/v1/dossiers/{code}", headers=headers, json={"data": GOOD})
    attached = citizen.post(f"/api/v1/dossiers/{code}/attachments", headers=headers, data={
        "document_key": "chung_cu", "file": (io.BytesIO(PDF), "chung-cu.pdf")},
        content_type="multipart/form-data")
    assert attached.status_code == 201, attached.get_json()
    submitted = citizen.post(f"/api/v1/dossiers/{code}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "submitted"


def test_reimporting_a_changed_definition_creates_a_new_version(app):
    _people(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["procedures", "import", str(DATA), "--unit", "25279"]).exit_code == 0
    changed = json.loads(DATA.read_text(encoding="utf-8"))
    changed["schema"]["properties"]["recognized"]["properties"]["full_name"]["maxLength"] = 80
    path = Path(app.config["UPLOAD_DIR"]) / "changed.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["procedures", "import", str(path)])
    assert result.exit_code == 0 and "TEST.NCMC v2 (phiên bản mới)" in result.output
    exported = runner.invoke(args=["procedures", "export", "TEST.NCMC"])
    assert json.loads(exported.output)["schema"] == changed["schema"]


def test_a_bad_file_among_good_ones_imports_nothing_and_lists_every_problem(app, client):
    _people(app)
    web_login(client, "admin")
    bad = json.loads(DATA.read_text(encoding="utf-8"))
    bad.update(code="TEST.BAD", level=7, fee=-1)
    bad["schema"]["properties"]["children"]["items"] = {"type": "object", "properties": {"x": {}}}
    response = client.post("/admin/procedure-editor/import", data={"files": [
        (io.BytesIO(DATA.read_bytes()), "good.json"),
        (io.BytesIO(json.dumps(bad).encode()), "bad.json"),
        (io.BytesIO(b'{"code": "X",\n  oops}'), "broken.json")]},
        content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "bad.json: /level" in html and "bad.json: /fee" in html
    assert "bad.json: /schema" in html and "broken.json" in html and "dòng 2" in html
    with app.app_context():
        assert db.session.query(Procedure).count() == 0
        assert db.session.query(ProcedureVersion).count() == 0
        assert db.session.query(AdminAuditRecord).count() == 0


def test_cli_refuses_a_bad_file_and_changes_nothing(app):
    _people(app)
    bad = Path(app.config["UPLOAD_DIR"]) / "bad.json"
    bad.write_text('{"code": "1"}', encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["procedures", "import", str(DATA), str(bad)])
    assert result.exit_code == 1
    assert "bad.json: /name: Tên thủ tục: " in result.output
    assert "Không nhập tệp nào" in result.output
    with app.app_context():
        assert get_procedure("TEST.NCMC") is None


def _upload(client, *files, units=""):
    return client.post("/admin/procedure-editor/import", data={
        "units": units, "files": [(io.BytesIO(raw), name) for name, raw in files]},
        content_type="multipart/form-data")


def test_the_page_refuses_like_the_cli_listing_every_problem_in_vietnamese(app, client):
    from app.procedures.definitions import MAX_DEFINITION_BYTES

    _people(app)
    web_login(client, "admin")
    bad = json.loads(DATA.read_text(encoding="utf-8"))
    bad.update(code="TEST.BAD", processing_days=400, name="Đ" * 501)
    response = _upload(client, ("good.json", DATA.read_bytes()),
                       ("bad.json", json.dumps(bad).encode()),
                       ("huge.json", b" " * (MAX_DEFINITION_BYTES + 1)), units="25279 00000")
    assert response.status_code == 422
    items = [li.get_text(" ", strip=True) for li in
             BeautifulSoup(response.get_data(as_text=True), "html.parser").select(".alert li")]
    assert any(i.startswith("bad.json: /processing_days: Thời hạn giải quyết") for i in items)
    assert any(i.startswith("bad.json: /name: Tên thủ tục") for i in items)
    assert "huge.json: Tệp lớn hơn 2 MB." in items
    assert "Đơn vị: Không có đơn vị hành chính nào mang mã 00000." in items
    with app.app_context():
        assert db.session.query(Procedure).count() == 0
        assert db.session.query(AdminAuditRecord).count() == 0


def test_the_page_says_what_an_import_changed(app, client):
    _people(app)
    web_login(client, "admin")
    assert _upload(client, ("a.json", DATA.read_bytes())).status_code == 302
    changed = json.loads(DATA.read_text(encoding="utf-8"))
    changed["fee"] = 15000
    response = _upload(client, ("b.json", json.dumps(changed).encode()), units="25279")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "b.json: TEST.NCMC v1 (cập nhật thông tin)" in page
    assert "Lệ phí (đồng) (fee)" in page and "Nay được cung cấp tại: 25279" in page
    with app.app_context():
        record = db.session.query(AdminAuditRecord).order_by(AdminAuditRecord.id.desc()).first()
        assert record.actor_name == "admin" and record.changes["via"] == "admin"
        assert record.changes["metadata"] == {"fee": [0, 15000]}
        assert record.changes["units"] == ["25279"]


def test_problems_are_in_english_under_the_english_locale(app, client):
    _people(app)
    web_login(client, "admin")
    client.get("/lang/en")
    bad = json.loads(DATA.read_text(encoding="utf-8"))
    bad.update(fee=-1)
    response = _upload(client, ("bad.json", json.dumps(bad).encode()),
                       ("broken.json", b'{"code": "X",\n  oops}'))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "bad.json: /fee: Fee (VND)" in html
    assert ("broken.json: JSON syntax error at line 2, column 3: a property name in double quotes"
            " is expected here") in html
