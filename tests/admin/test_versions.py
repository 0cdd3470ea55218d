"""Draft versions, publishing, pinning of dossiers to their version, and draft migration."""
from __future__ import annotations

import copy

import pytest

from app.dossiers.drafts import migrate_draft, unfit_drafts
from app.extensions import db
from app.forms.engine import compile_schema
from app.procedures.definitions import DefinitionError
from app.procedures.diff import version_diff
from app.procedures.models import Procedure, PublishedVersionError
from app.procedures.operations import get_or_create_draft, publish_draft, save_draft
from tests.factories import SIMPLE_SCHEMA, OfferingFactory, UnitFactory, create_dossier, create_user

V2 = copy.deepcopy(SIMPLE_SCHEMA)
V2["properties"]["full_name"]["maxLength"] = 5
V2["properties"]["phone"] = {"type": "string", "title": "Điện thoại", "format": "vn-phone"}


def _setup():
    unit = UnitFactory()
    offering = OfferingFactory(unit=unit)
    citizen = create_user("citizen", "Citizen")
    return unit, offering.procedure, citizen


def test_dossier_filed_under_v1_renders_and_validates_under_v1_after_v2(app):
    with app.app_context():
        unit, procedure, citizen = _setup()
        dossier = create_dossier(citizen, unit, procedure, status="submitted",
                                 data={"full_name": "Nguyễn Văn Anh"})
        save_draft(procedure, V2, {})
        publish_draft(procedure)
        db.session.commit()
        assert procedure.current_version.number == 2
        db.session.refresh(dossier)
        assert dossier.procedure_version.number == 1
        form = compile_schema(dossier.procedure_version.schema, dossier.procedure_version.ui_schema)
        assert form.validate(dossier.data, "vi") == []
        assert "Nguyễn Văn Anh" in form.render_readonly(dossier.data, "vi")
        # the same data would not pass the new version (maxLength 5)
        v2 = compile_schema(procedure.current_version.schema)
        assert [e.path for e in v2.validate(dossier.data, "vi")] == ["/full_name"]


def test_published_version_cannot_be_edited(app):
    with app.app_context():
        _, procedure, _ = _setup()
        v1 = procedure.current_version
        v1.schema = V2
        with pytest.raises(PublishedVersionError):
            db.session.commit()
        db.session.rollback()


def test_edits_go_to_one_draft_and_publishing_makes_it_current(app):
    with app.app_context():
        _, procedure, _ = _setup()
        draft = save_draft(procedure, V2, {})
        again = get_or_create_draft(procedure)
        db.session.commit()
        assert draft is again and draft.number == 2 and draft.published_at is None
        assert procedure.current_version.number == 1
        version = publish_draft(procedure)
        db.session.commit()
        assert version.number == 2 and procedure.current_version.number == 2


def test_a_form_the_engine_refuses_is_not_saved(app):
    with app.app_context():
        _, procedure, _ = _setup()
        bad = {"type": "object", "properties": {"x": {"title": "no type"}}}
        with pytest.raises(DefinitionError) as info:
            save_draft(procedure, bad, {})
        assert any("/schema" in p and "x" in p for p in info.value.problems)
        db.session.rollback()
        assert len(db.session.get(Procedure, procedure.id).versions) == 1


def test_publishing_lists_open_drafts_that_no_longer_fit_and_edit_migrates_them(app):
    with app.app_context():
        unit, procedure, citizen = _setup()
        fits = create_dossier(citizen, unit, procedure, status="draft", data={"full_name": "An"})
        unfit = create_dossier(citizen, unit, procedure, status="draft",
                               data={"full_name": "Nguyễn Văn Anh"})
        submitted = create_dossier(citizen, unit, procedure, status="submitted",
                                   data={"full_name": "Nguyễn Văn Anh"})
        save_draft(procedure, V2, {})
        version = publish_draft(procedure)
        db.session.commit()
        assert [d.code for d in unfit_drafts(procedure, version)] == [unfit.code]
        dropped = migrate_draft(unfit)
        db.session.commit()
        assert dropped == ["/full_name"]
        assert unfit.data == {} and unfit.procedure_version.number == 2
        assert migrate_draft(fits) == [] and fits.data == {"full_name": "An"}
        assert migrate_draft(submitted) is None and submitted.procedure_version.number == 1
        assert migrate_draft(fits) is None


def test_diff_shows_what_changed_between_versions(app):
    with app.app_context():
        _, procedure, _ = _setup()
        save_draft(procedure, V2, {})
        publish_draft(procedure)
        db.session.commit()
        v1, v2 = procedure.versions
        lines = version_diff(v1, v2)
        added = [line.text for line in lines if line.kind == "add"]
        removed = [line.text for line in lines if line.kind == "remove"]
        assert any('"maxLength": 5' in t for t in added)
        assert any('"maxLength": 100' in t for t in removed)
        assert any('"format": "vn-phone"' in t for t in added)


def test_citizen_edit_moves_an_old_draft_to_the_published_version(app, client):
    from tests.helpers import auth

    with app.app_context():
        unit, procedure, citizen = _setup()
        draft = create_dossier(citizen, unit, procedure, status="draft",
                               data={"full_name": "Nguyễn Văn Anh"})
        code = draft.code
        save_draft(procedure, V2, {})
        publish_draft(procedure)
        db.session.commit()
    headers = auth(client, "citizen")
    response = client.put(f"/api/v1/dossiers/{code}", headers=headers,
                          json={"contact": {"phone": "0912345678", "email": "a@example.test"}})
    assert response.status_code == 200, response.get_json()
    detail = client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()
    assert detail["procedure_version"] == 2
    assert detail["data"] == {}  # the name no longer fits v2's five characters


FORM = {
    "type": "object", "title": "Tờ khai",
    "required": ["me"],
    "properties": {
        "me": {"type": "object", "title": "Thông tin người mẹ", "required": ["ho_ten"],
               "properties": {"ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên"},
                              "so_dinh_danh": {"type": "string", "title": "Số định danh"}}},
        "gioi_tinh": {"type": "string", "title": "Giới tính",
                      "oneOf": [{"const": "nam", "title": "Nam"}, {"const": "nu", "title": "Nữ"}]},
        "ghi_chu": {"type": "string", "title": "Ghi chú", "maxLength": 200},
    },
}
DOCS = [{"key": "cccd", "title": "Căn cước", "required": True},
        {"key": "anh", "title": "Ảnh", "required": False}]


def _changed_form():
    schema = copy.deepcopy(FORM)
    me = schema["properties"]["me"]
    me["required"] = ["ho_ten", "so_dinh_danh"]
    me["properties"]["ho_ten"]["title"] = "Họ và tên"
    del schema["properties"]["ghi_chu"]
    schema["properties"]["gioi_tinh"]["oneOf"].append({"const": "khac", "title": "Khác"})
    schema["properties"]["dien_thoai"] = {"type": "string", "title": "Điện thoại"}
    schema["properties"]["con"] = {"type": "array", "title": "Con", "items": {
        "type": "object", "properties": {"ten": {"type": "string", "title": "Tên"}}}}
    docs = [{"key": "cccd", "title": "Căn cước công dân", "required": False},
            {"key": "giay_moi", "title": "Giấy mới", "required": True}]
    return schema, docs


def test_describe_changes_names_each_change_and_its_pointer(app):
    from app.procedures.changes import describe_changes

    with app.app_context():
        schema, docs = _changed_form()
        changes = describe_changes({"schema": FORM, "required_documents": DOCS},
                                   {"schema": schema, "required_documents": docs})
        found = {(c.kind, c.pointer) for c in changes}
        texts = [c.text() for c in changes]
    me = "/schema/properties/me/properties"
    assert ("made_required", f"{me}/so_dinh_danh") in found
    assert ("relabelled", f"{me}/ho_ten") in found
    assert ("field_removed", "/schema/properties/ghi_chu") in found
    assert ("field_added", "/schema/properties/dien_thoai") in found
    assert ("group_added", "/schema/properties/con") in found  # a list of groups, with its fields
    assert not any(p.startswith("/schema/properties/con/") for _k, p in found)  # in its line
    assert ("choices_changed", "/schema/properties/gioi_tinh") in found
    assert ("document_optional", "/required_documents/0") in found
    assert ("document_retitled", "/required_documents/0") in found
    assert ("required_document_added", "/required_documents/1") in found
    assert ("document_removed", "/required_documents/1") in found
    assert "Trường “Thông tin người mẹ › Số định danh” nay bắt buộc nhập " \
        f"({me}/so_dinh_danh)" in texts
    assert "Đổi các lựa chọn của “Giới tính”: thêm khac (/schema/properties/gioi_tinh)" in texts
    assert "Thêm giấy tờ bắt buộc “Giấy mới” (/required_documents/1)" in texts
    assert "Thêm nhóm “Con” với các trường: Tên (/schema/properties/con)" in texts
    assert describe_changes({"schema": FORM, "required_documents": DOCS},
                            {"schema": copy.deepcopy(FORM), "required_documents": DOCS}) == []


def test_describe_changes_from_nothing_lists_top_level_fields_and_follows_refs(app):
    from app.procedures.changes import describe_changes

    with app.app_context():
        first = describe_changes(None, {"schema": FORM, "required_documents": DOCS})
        assert [(c.kind, c.pointer) for c in first] == [
            ("required_group_added", "/schema/properties/me"),
            ("field_added", "/schema/properties/gioi_tinh"),
            ("field_added", "/schema/properties/ghi_chu"),
            ("required_document_added", "/required_documents/0"),
            ("document_added", "/required_documents/1")]
        moved = copy.deepcopy(FORM)  # the same fields through $defs: nothing changes for citizens
        moved["$defs"] = {"nguoi": moved["properties"]["me"]}
        moved["properties"]["me"] = {"$ref": "#/$defs/nguoi"}
        assert describe_changes({"schema": FORM}, {"schema": moved}) == []
        moved["$defs"]["nguoi"]["properties"]["ho_ten"]["maxLength"] = 50
        [change] = describe_changes({"schema": FORM}, {"schema": moved})
        assert change.kind == "rules_changed"
        assert change.pointer == "/schema/$defs/nguoi/properties/ho_ten"
        assert "maxLength — → 50" in change.text()


PASSPORT = {"properties": {"loai_giay_to": {"const": "ho_chieu"}}, "required": ["loai_giay_to"]}


def _conditional_form():
    """FORM with a new group (a group inside it), a field required only when shown, and fields
    of existing groups made required, conditionally required and optional."""
    schema = copy.deepcopy(FORM)
    props = schema["properties"]
    props["nguoi_lam_chung"] = {
        "type": "object", "title": "Thông tin người làm chứng", "required": ["ho_ten", "noi_o"],
        "properties": {
            "ho_ten": {"type": "string", "title": "Họ và tên"},
            "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
            "so_ho_chieu": {"type": "string", "title": "Số hộ chiếu"},
            "noi_o": {"type": "object", "title": "Nơi ở", "required": ["tinh"],
                      "properties": {"tinh": {"type": "string", "title": "Tỉnh"},
                                     "duong": {"type": "string", "title": "Đường"}}}},
        "allOf": [{"if": {"properties": {"ho_ten": {"const": "X"}}, "required": ["ho_ten"]},
                   "then": {"required": ["so_ho_chieu"]}}]}
    props["loai_giay_to"] = {"type": "string", "title": "Loại giấy tờ", "oneOf": [
        {"const": "cccd", "title": "Căn cước"}, {"const": "ho_chieu", "title": "Hộ chiếu"}]}
    props["so_ho_chieu"] = {"type": "string", "title": "Số hộ chiếu"}
    schema["allOf"] = [
        {"if": PASSPORT, "then": {"required": ["so_ho_chieu"]}},
        {"if": {"properties": {"gioi_tinh": {"enum": ["nam", "nu"]}}, "required": ["gioi_tinh"]},
         "then": {"required": ["ghi_chu"]}}]
    me = props["me"]  # an existing group: one field required now only while shown
    me["required"] = []
    me["dependentRequired"] = {"so_dinh_danh": ["ho_ten"]}
    return schema


def test_a_new_group_lists_its_fields_and_a_field_required_when_shown_says_when(app):
    from app.procedures.changes import describe_changes

    with app.app_context():
        changes = describe_changes({"schema": FORM}, {"schema": _conditional_form()})
        texts = [c.text() for c in changes]
        kinds = {c.pointer: c.kind for c in changes}
    group = "/schema/properties/nguoi_lam_chung"
    assert "Thêm nhóm “Thông tin người làm chứng” với các trường: Họ và tên (bắt buộc), Ngày sinh, " \
        "Số hộ chiếu (bắt buộc khi được hiển thị, khi “Họ và tên” là “X”), Nơi ở (bắt buộc) " \
        f"({group})" in texts
    assert "Thêm nhóm bắt buộc “Thông tin người làm chứng › Nơi ở” với các trường: Tỉnh (bắt buộc), " \
        f"Đường ({group}/properties/noi_o)" in texts
    assert not any(p.startswith(f"{group}/properties/") and p != f"{group}/properties/noi_o"
                   for p in kinds)  # the other fields of the new group are in its line
    assert "Thêm trường “Số hộ chiếu”, bắt buộc khi được hiển thị (khi “Loại giấy tờ” là “Hộ chiếu”) " \
        "(/schema/properties/so_ho_chieu)" in texts
    assert "Trường “Ghi chú” nay bắt buộc nhập khi được hiển thị (khi “Giới tính” là một trong " \
        "“Nam”, “Nữ”) (/schema/properties/ghi_chu)" in texts
    assert "Trường “Thông tin người mẹ › Họ, chữ đệm và tên” nay bắt buộc nhập khi được hiển thị " \
        "(khi “Số định danh” đã được điền) (/schema/properties/me/properties/ho_ten)" in texts
    assert not any("không bắt buộc" in t for t in texts)  # required when shown is not "optional"


def test_requirement_changes_inside_existing_groups_are_reported(app):
    from app.procedures.changes import describe_changes

    with app.app_context():
        before = _conditional_form()
        after = copy.deepcopy(before)
        witness = after["properties"]["nguoi_lam_chung"]
        witness["required"] = ["ngay_sinh", "noi_o"]  # Họ và tên optional, Ngày sinh required
        witness["properties"]["noi_o"]["required"] = []
        witness["allOf"][0]["if"]["properties"]["ho_ten"] = {"const": "Y"}  # another condition
        after["allOf"][0]["else"] = {"required": ["loai_giay_to"]}
        after["allOf"][1]["if"]["properties"]["gioi_tinh"]["pattern"] = "^n"
        changes = describe_changes({"schema": before}, {"schema": after})
        texts = [c.text() for c in changes]
        by_pointer = {c.pointer: c.kind for c in changes}
    group = "/schema/properties/nguoi_lam_chung/properties"
    assert by_pointer[f"{group}/ho_ten"] == "made_optional"
    assert by_pointer[f"{group}/ngay_sinh"] == "made_required"
    assert by_pointer[f"{group}/noi_o/properties/tinh"] == "made_optional"
    assert "Trường “Thông tin người làm chứng › Số hộ chiếu” nay bắt buộc nhập khi được hiển thị " \
        f"(khi “Họ và tên” là “Y”) ({group}/so_ho_chieu)" in texts
    assert "Trường “Loại giấy tờ” nay bắt buộc nhập khi được hiển thị (trừ khi “Loại giấy tờ” là " \
        "“Hộ chiếu”) (/schema/properties/loai_giay_to)" in texts
    assert "Trường “Ghi chú” nay bắt buộc nhập khi được hiển thị (khi thỏa một điều kiện đặt trong " \
        "biểu mẫu) (/schema/properties/ghi_chu)" in texts


def test_a_field_that_becomes_a_list_of_groups_lists_the_fields_of_an_item(app):
    from app.procedures.changes import describe_changes

    schema = copy.deepcopy(FORM)
    schema["properties"]["ghi_chu"] = {"type": "array", "title": "Ghi chú", "items": {
        "type": "object", "required": ["noi_dung"],
        "properties": {"noi_dung": {"type": "string", "title": "Nội dung"},
                       "ngay": {"type": "string", "title": "Ngày"}}}}
    with app.app_context():
        texts = [c.text() for c in describe_changes({"schema": FORM}, {"schema": schema})]
    assert "Thêm nhóm “Ghi chú › mục” với các trường: Nội dung (bắt buộc), Ngày " \
        "(/schema/properties/ghi_chu/items)" in texts


def test_restoring_an_old_version_makes_it_the_draft_and_is_audited(app):
    from app.core.audit import AdminAuditRecord
    from app.procedures.operations import get_draft, restore_version

    with app.app_context():
        _, procedure, _ = _setup()
        save_draft(procedure, V2, {})
        publish_draft(procedure)
        db.session.commit()
        draft = restore_version(procedure, 1)
        db.session.commit()
        assert draft.number == 3 and draft.published_at is None
        assert draft.schema == procedure.versions[0].schema and get_draft(procedure) is draft
        assert procedure.current_version.number == 2  # nothing published yet
        record = db.session.query(AdminAuditRecord).filter_by(action="restore_version").one()
        assert record.changes["from_version"] == 1 and record.changes["draft"] == 3
        assert {c["pointer"] for c in record.changes["form"]} >= {"/schema/properties/phone"}
        with pytest.raises(DefinitionError):
            restore_version(procedure, 7)


def test_a_draft_changed_after_review_is_not_published(app):
    from app.procedures.changes import form_fingerprint

    with app.app_context():
        _, procedure, _ = _setup()
        draft = save_draft(procedure, V2, {})
        seen = form_fingerprint(draft)
        changed = copy.deepcopy(V2)
        changed["title"] = "Đã sửa"
        save_draft(procedure, changed, {})
        with pytest.raises(DefinitionError) as info:
            publish_draft(procedure, seen)
        assert "đã bị thay đổi" in info.value.problems[0]
        assert procedure.current_version.number == 1
        version = publish_draft(procedure, form_fingerprint(draft))
        db.session.commit()
        assert version.number == 2
