"""CLI commands of CONTRACT.md: procedures import/export, units import, audit verify."""
from __future__ import annotations

import json

from sqlalchemy import func, select, update

from app.dossiers.models import DossierEvent
from app.extensions import db
from app.procedures.models import Procedure, ProcedureVersion
from tests.factories import SIMPLE_SCHEMA, UnitFactory, create_dossier, create_user

DEFINITION = {
    "code": "9.999001", "name": "Thủ tục kiểm thử", "field": "Hộ tịch", "tier": "commune",
    "level": 4, "processing_days": 3, "fee": 0,
    "required_documents": [{"key": "don", "title": "Đơn đề nghị", "required": True}],
    "schema": SIMPLE_SCHEMA, "ui_schema": {},
}


def write(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_then_versions_and_export_round_trips(app, tmp_path):
    with app.app_context():
        UnitFactory(code="25279")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["procedures", "import", write(tmp_path, "a.json", DEFINITION),
                                 "--unit", "25279"])
    assert result.exit_code == 0, result.output
    assert "9.999001 v1 (tạo mới)" in result.output
    again = runner.invoke(args=["procedures", "import", write(tmp_path, "a.json", DEFINITION)])
    assert "9.999001 v1 (không thay đổi)" in again.output
    changed = dict(DEFINITION, schema={**SIMPLE_SCHEMA, "title": "Tờ khai"})
    result = runner.invoke(args=["procedures", "import", write(tmp_path, "b.json", changed)])
    assert "9.999001 v2 (phiên bản mới)" in result.output
    exported = runner.invoke(args=["procedures", "export", "9.999001"])
    assert exported.exit_code == 0
    data = json.loads(exported.output)
    assert data["schema"]["title"] == "Tờ khai"
    assert data["required_documents"] == DEFINITION["required_documents"]
    assert data["name"] == "Thủ tục kiểm thử"


def test_bad_files_change_nothing_and_list_every_problem(app, tmp_path):
    good = write(tmp_path, "good.json", DEFINITION)
    broken_json = write(tmp_path, "broken.json", '{"code": "x",\n  "name": }')
    bad = write(tmp_path, "bad.json", dict(DEFINITION, code="9.999002", level=7, fee=-1,
                                           schema={"type": "objekt"}))
    result = app.test_cli_runner().invoke(args=["procedures", "import", good, broken_json, bad])
    assert result.exit_code != 0
    output = result.output
    assert "broken.json: Lỗi cú pháp JSON ở dòng 2, cột 11: ở đây cần một giá trị" in output
    assert "/level" in output and "/fee" in output and "/schema" in output
    assert "Không nhập tệp nào" in output
    assert count(app, Procedure) == 0 and count(app, ProcedureVersion) == 0


def test_import_with_unknown_unit_is_refused(app, tmp_path):
    result = app.test_cli_runner().invoke(args=[
        "procedures", "import", write(tmp_path, "a.json", DEFINITION), "--unit", "00000"])
    assert result.exit_code != 0
    assert "--unit: Không có đơn vị hành chính nào mang mã 00000." in result.output
    assert count(app, Procedure) == 0


def test_export_of_unknown_code_fails(app):
    result = app.test_cli_runner().invoke(args=["procedures", "export", "nope"])
    assert result.exit_code != 0


def test_units_import_loads_one_province(app):
    result = app.test_cli_runner().invoke(args=["units", "import", "--province", "75"])
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    from app.units.models import AdministrativeUnit
    with app.app_context():
        loc_tan = db.session.scalar(select(AdministrativeUnit).where(AdministrativeUnit.code == "25279"))
        assert loc_tan.name == "Xã Lộc Tấn" and loc_tan.parent.code == "75"
    again = app.test_cli_runner().invoke(args=["units", "import", "--province", "75"])
    assert "0 created, 0 updated" in again.output


def test_audit_verify_detects_a_tampered_event(app):
    with app.app_context():
        unit = UnitFactory()
        citizen = create_user("c1", "Citizen")
        officer = create_user("o1", "Officer", [unit])
        dossier = create_dossier(citizen, unit)
        from app.dossiers.operations import perform_action
        perform_action(officer, dossier, "receive")
        db.session.commit()
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "intact: 2 events" in ok.output
    with app.app_context():
        first_id = db.session.scalar(select(func.min(DossierEvent.id)))
        db.session.execute(update(DossierEvent).where(DossierEvent.id == first_id)
                           .values(note="rewritten history"))
        db.session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"broken at event {first_id}" in broken.output


def import_files(app, *paths, units=()):
    args = ["procedures", "import", *map(str, paths)]
    for unit in units:
        args += ["--unit", unit]
    return app.test_cli_runner().invoke(args=args)


def test_every_problem_is_listed_in_vietnamese_by_json_pointer(app, tmp_path):
    bad = dict(DEFINITION, name=" ", tier="village", level=7, fee=-1, processing_days=1000,
               verification_days="ba", delivery_methods=["teleport"], steps="Nộp hồ sơ",
               required_documents=[{"key": "don", "title": "Đơn"}, {"key": "don", "title": "Đơn 2"},
                                   {"title": "Không có mã"}])
    del bad["field"]
    result = import_files(app, write(tmp_path, "bad.json", bad))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for pointer, label in [("/name", "Tên thủ tục"), ("/tier", "Cấp thực hiện"),
                           ("/level", "Mức độ dịch vụ công"), ("/fee", "Lệ phí (đồng)"),
                           ("/processing_days", "Thời hạn giải quyết (ngày làm việc)"),
                           ("/verification_days", "Thời hạn khi cần xác minh"),
                           ("/delivery_methods/0", "Cách nhận kết quả"),
                           ("/steps", "Trình tự thực hiện"), ("/field", "Lĩnh vực"),
                           ("/required_documents/2/key", "Thành phần hồ sơ, mục 3"),
                           ("/required_documents/1/key", "Mã giấy tờ don đã được dùng")]:
        assert any(line.startswith(f"bad.json: {pointer}: {label}") or
                   line.startswith(f"{tmp_path}/bad.json: {pointer}: {label}") for line in lines), \
            (pointer, result.output)
    for english in ("is not valid under", "required property", "is not one of", "must be"):
        assert english not in result.output
    assert count(app, Procedure) == 0


def test_a_json_syntax_error_says_where_in_vietnamese(app, tmp_path):
    broken = write(tmp_path, "broken.json", '{\n  "code": "9.1"\n  "name": "X"\n}')
    result = import_files(app, broken)
    assert result.exit_code == 1
    assert "broken.json: Lỗi cú pháp JSON ở dòng 3, cột 3: thiếu dấu phẩy (,)" in result.output


def test_limits_follow_the_database_columns(app, tmp_path):
    # A 501-character name used to pass the file check and break on PostgreSQL's varchar(500).
    long_name = write(tmp_path, "long.json", dict(DEFINITION, name="Đ" * 501))
    result = import_files(app, long_name)
    assert result.exit_code == 1
    assert "/name: Tên thủ tục: " in result.output and "500" in result.output
    assert count(app, Procedure) == 0


def test_a_metadata_change_is_reported_with_its_keys_and_audited(app, tmp_path):
    from app.core.audit import AdminAuditRecord

    assert import_files(app, write(tmp_path, "a.json", DEFINITION)).exit_code == 0
    same = import_files(app, write(tmp_path, "a.json", DEFINITION))
    assert "9.999001 v1 (không thay đổi)" in same.output
    changed = dict(DEFINITION, fee=20000, agency="Ủy ban nhân dân xã")
    result = import_files(app, write(tmp_path, "b.json", changed))
    assert result.exit_code == 0, result.output
    assert "9.999001 v1 (cập nhật thông tin)" in result.output
    assert "Thông tin đã thay đổi: Cơ quan thực hiện (agency); Lệ phí (đồng) (fee)" in result.output
    with app.app_context():
        records = db.session.scalars(select(AdminAuditRecord).order_by(AdminAuditRecord.id)).all()
        assert [r.changes["state"] for r in records] == ["created", "metadata_updated"]
        last = records[-1]
        assert last.actor_name == "system" and last.action == "import"
        assert last.object_id == "9.999001" and last.changes["via"] == "cli"
        assert last.changes["metadata"] == {"fee": [0, 20000], "agency": [None, "Ủy ban nhân dân xã"]}
        assert db.session.get(Procedure, 1).fee == 20000


def test_a_form_change_is_listed_in_words_with_pointers(app, tmp_path):
    assert import_files(app, write(tmp_path, "a.json", DEFINITION)).exit_code == 0
    schema = json.loads(json.dumps(SIMPLE_SCHEMA))
    schema["properties"]["phone"] = {"type": "string", "title": "Điện thoại", "format": "vn-phone"}
    schema["required"] = ["phone"]
    schema["properties"]["full_name"]["title"] = "Họ, chữ đệm và tên"
    documents = [{"key": "don", "title": "Đơn đề nghị", "required": False},
                 {"key": "anh", "title": "Ảnh chân dung", "required": True}]
    changed = dict(DEFINITION, schema=schema, required_documents=documents)
    result = import_files(app, write(tmp_path, "b.json", changed))
    assert result.exit_code == 0, result.output
    output = result.output
    assert "9.999001 v2 (phiên bản mới)" in output
    assert "Thêm trường bắt buộc “Điện thoại” (/schema/properties/phone)" in output
    assert "Trường “Họ, chữ đệm và tên” nay không bắt buộc nhập (/schema/properties/full_name)" \
        in output
    assert "Đổi tên trường: “Họ và tên” → “Họ, chữ đệm và tên” (/schema/properties/full_name)" \
        in output
    assert "Giấy tờ “Đơn đề nghị” nay không bắt buộc nộp (/required_documents/0)" in output
    assert "Thêm giấy tờ bắt buộc “Ảnh chân dung” (/required_documents/1)" in output


def test_the_shipped_definitions_import_and_reimport_unchanged(app):
    from pathlib import Path

    from app.core.audit import AdminAuditRecord

    files = sorted(Path(__file__).resolve().parent.parent.glob("forms_schema/*.json"))
    assert len(files) >= 10
    first = import_files(app, *files)
    assert first.exit_code == 0, first.output
    assert first.output.count("v1 (tạo mới)") == len(files)
    again = import_files(app, *files)
    assert again.exit_code == 0, again.output
    assert again.output.count("v1 (không thay đổi)") == len(files)
    assert count(app, AdminAuditRecord) == len(files)  # unchanged files are not audited


def test_files_of_one_batch_must_not_share_a_code_or_link_to_nothing(app, tmp_path):
    a = write(tmp_path, "a.json", DEFINITION)
    b = write(tmp_path, "b.json", dict(DEFINITION, name="Bản sao"))
    c = write(tmp_path, "c.json", dict(DEFINITION, code="9.999003", linked_procedures=["9.000000"]))
    result = import_files(app, a, b, c)
    assert result.exit_code == 1
    assert "b.json: /code: Tệp " in result.output and "cũng có mã 9.999001" in result.output
    assert "c.json: /linked_procedures/0: " in result.output and "9.000000" in result.output
    assert count(app, Procedure) == 0


def test_the_printed_definition_schema_is_valid_and_accepts_the_shipped_files(app):
    from pathlib import Path

    from jsonschema import Draft202012Validator

    result = app.test_cli_runner().invoke(args=["procedures", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for path in sorted(Path(__file__).resolve().parent.parent.glob("forms_schema/*.json")):
        assert list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8")))) == [], path
    with app.app_context():
        assert schema["properties"]["name"]["maxLength"] == Procedure.__table__.c.name.type.length
