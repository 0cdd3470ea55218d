"""The shipped definitions against today's rules (issue 14): lists instead of free text, identity
documents, Decree 07/2025's documents, the abandoned child, the missing procedures."""

import copy
import json
from functools import cache

import pytest
from conftest import ROOT, soup

from app.forms.engine import compile_schema
from app.forms.fields.group import ObjectField, RepeatField
from app.procedures.documents import required_document_keys
from app.procedures.reference_lists import ethnic_groups, nationalities, stale_lists
from tests.portal.data import birth_data

FILES = sorted((ROOT / "forms_schema").glob("*.json"))
DEFINITIONS = {json.loads(p.read_text(encoding="utf-8"))["code"]: p for p in FILES}


@cache
def definition(code: str) -> dict:
    return json.loads(DEFINITIONS[code].read_text(encoding="utf-8"))


def form(code: str):
    return compile_schema(definition(code)["schema"], definition(code)["ui_schema"])


def errors(code: str, data: dict) -> dict[str, str]:
    return {e.path: e.message for e in form(code).validate(data, locale="vi")}


def needed(code: str, data: dict) -> list[str]:
    pruned, _ = form(code).check(data)
    return required_document_keys(definition(code)["required_documents"], pruned)


def foreign_mother() -> dict:
    data = birth_data()
    data["mother"] = {"full_name": "Marie Dupont", "birth_year": 1994, "nationality": "FR",
                      "id_type": "ho_chieu", "id_number": "19AB12345",
                      "residence": {"unit": "25279", "street": "Ấp 3"}}
    return data


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_nationality_and_ethnic_group_are_chosen_from_the_official_lists(path, in_vi):
    data = json.loads(path.read_text(encoding="utf-8"))
    compiled = compile_schema(data["schema"], data.get("ui_schema"))
    assert stale_lists(data["schema"]) == []
    for name, field in compiled.walk():
        if isinstance(field, ObjectField | RepeatField):
            continue
        leaf = name.rsplit(".", 1)[-1]
        if leaf == "nationality":
            assert field.type_name == "select" and len(field.options) == len(nationalities()), name
        if leaf == "ethnicity":
            assert field.type_name == "select" and len(field.options) == len(ethnic_groups()), name


def test_the_nationality_select_starts_with_viet_nam_chosen_and_ethnic_group_with_kinh(in_vi):
    html = soup(form("1.001193").render(None, locale="vi"))
    nationality = html.select_one("select[name='mother.nationality']")
    values = [o["value"] for o in nationality.select("option") if o.get("value")]
    assert values[0] == "VN" and len(values) == 250
    assert nationality.select_one("option[selected]")["value"] == "VN"
    assert nationality.select_one("option[value='KR']").get_text() == "Hàn Quốc"
    ethnicity = html.select_one("select[name='child.ethnicity']")
    assert ethnicity.select_one("option[selected]")["value"] == "Kinh"
    assert len([o for o in ethnicity.select("option") if o.get("value")]) == 54


def test_viet_nam_typed_by_hand_is_refused_and_does_not_skip_the_id_number(in_vi):
    data = birth_data()
    data["mother"].update(nationality="Viet Nam", id_type="ho_chieu", id_number="C1234567",
                          residence={"unit": "25279", "street": "Ấp 3"})
    del data["mother"]["citizen_id"]
    found = errors("1.001193", data)
    assert "/mother/nationality" in found
    data["mother"]["nationality"] = "VN"
    assert "/mother/citizen_id" in errors("1.001193", data)  # a Vietnamese citizen gives the number


def test_a_foreign_parent_gives_a_passport_and_her_residence_not_a_12_digit_number(in_vi):
    data = foreign_mother()
    assert errors("1.001193", data) == {}
    del data["mother"]["residence"]
    assert set(errors("1.001193", data)) == {"/mother/residence"}
    data = foreign_mother()
    data["mother"]["id_number"] = "19 AB"
    assert set(errors("1.001193", data)) == {"/mother/id_number"}


def test_a_foreign_parent_needs_the_parents_marriage_certificate_vietnamese_ones_do_not(in_vi):
    assert "giay_chung_nhan_ket_hon" not in needed("1.001193", birth_data())
    assert "giay_chung_nhan_ket_hon" in needed("1.001193", foreign_mother())
    unknown_father = dict(foreign_mother(), father_known=False)
    assert "giay_chung_nhan_ket_hon" not in needed("1.001193", unknown_father)


def test_the_paper_birth_notice_is_needed_only_without_the_electronic_one(in_vi):
    assert needed("1.001193", birth_data()) == ["giay_chung_sinh"]
    assert needed("1.001193", dict(birth_data(), birth_notice="dien_tu")) == []
    assert needed("1.001193", dict(birth_data(), birth_notice="khong_co")) == ["van_ban_xac_nhan_viec_sinh"]


def test_an_abandoned_child_is_registered_with_the_record_of_abandonment(in_vi):
    data = birth_data()
    for key in ("mother", "father", "birth_notice"):
        del data[key]
    data.update(mother_known=False, father_known=False)
    assert set(errors("1.001193", data)) == {"/abandonment"}
    data["abandonment"] = {"record_date": "2026-10-03", "made_by": "Ủy ban nhân dân xã Lộc Tấn",
                           "found_place": "Cổng Trạm y tế xã Lộc Tấn"}
    assert errors("1.001193", data) == {}
    assert needed("1.001193", data) == ["bien_ban_tre_bi_bo_roi"]
    assert errors("2.000986", data).keys().isdisjoint({"/mother", "/abandonment"})


def test_a_representative_needs_the_power_of_attorney(in_vi):
    data = birth_data()
    data["requester"]["relationship"] = "nguoi_duoc_uy_quyen"
    assert "van_ban_uy_quyen" in needed("1.001193", data)
    assert "van_ban_uy_quyen" not in needed("1.001193", birth_data())


def test_marriage_asks_no_marital_status_certificate_and_verification_extends_the_time(in_vi):
    marriage = definition("1.000894")
    text = json.dumps(marriage["schema"], ensure_ascii=False)
    assert "resides_in_registering_commune" not in text and "marital_status_certificate" not in text
    party = {"full_name": "Trần Thị Cúc", "date_of_birth": "1998-02-01", "nationality": "VN",
             "ethnicity": "Kinh", "id_type": "cccd", "citizen_id": "075198001234", "marriage_count": 1}
    data = {"requester": {"full_name": "Trần Thị Cúc", "id_type": "cccd", "citizen_id": "075198001234",
                          "role": "ben_nu"}, "bride": party,
            "groom": dict(party, full_name="Lê Văn Dũng", citizen_id="075096001234")}
    assert errors("1.000894", data) == {}
    assert needed("1.000894", data) == []
    data["groom"] = dict(party, full_name="John Smith", nationality="GB", id_type="ho_chieu",
                         id_number="123456789", residence={"unit": "25279", "street": "Ấp 3"})
    del data["groom"]["citizen_id"]
    del data["groom"]["ethnicity"]
    assert errors("1.000894", data) == {}
    assert needed("1.000894", data) == ["giay_to_tthn_nguoi_nuoc_ngoai"]
    assert (marriage["processing_days"], marriage["verification_days"]) == (0, 5)
    assert "03 ngày làm việc" in marriage["verification_note"]


def test_the_guardian_may_be_a_foreigner_with_a_passport_and_the_ward_need_not_have_an_id(in_vi):
    ward = {"full_name": "Nguyễn Văn Tí", "gender": "nam", "date_of_birth": "2018-05-05",
            "nationality": "VN", "residence": {"unit": "25279", "street": "Ấp 3"}}
    guardian = {"full_name": "Anna Schmidt", "gender": "nu", "date_of_birth": "1980-01-01",
                "nationality": "DE", "id_type": "ho_chieu", "id_number": "C01X00T47",
                "residence": {"unit": "25279", "street": "Ấp 3"}}
    data = {"requester": {"full_name": "Anna Schmidt", "id_type": "ho_chieu", "id_number": "C01X00T47",
                          "address": {"unit": "25279", "street": "Ấp 3"}, "relationship": "nguoi_giam_ho"},
            "guardianship_type": "giam_ho_duong_nhien", "ward": ward,
            "ward_situation": "chua_thanh_nien_khong_cha_me", "guardian": guardian,
            "guardian_relationship": "Bác ruột"}
    assert errors("1.004837", data) == {}
    assert needed("1.004837", data) == ["giay_to_giam_ho_duong_nhien"]
    vietnamese = copy.deepcopy(data)
    vietnamese["guardian"].update(nationality="VN", ethnicity="Kinh")
    assert "/guardian/citizen_id" in errors("1.004837", vietnamese)
    assert "Trích lục đăng ký giám hộ" in definition("1.004837")["schema"]["properties"]["copies"]["title"]


def test_the_marital_status_certificate_asks_how_many_and_who_is_asking(in_vi):
    schema = definition("1.004873")["schema"]
    assert schema["properties"]["copies"]["minimum"] == 1
    data = {"requester_is_subject": False, "marital_status": "chua_dang_ky_ket_hon", "purpose": "khac",
            "purpose_detail": "Bổ túc hồ sơ vay vốn", "previously_issued": False, "copies": 2,
            "subject": {"full_name": "Lê Văn Dũng", "gender": "nam", "date_of_birth": "1996-01-01",
                        "nationality": "VN", "ethnicity": "Kinh", "id_type": "cccd",
                        "citizen_id": "075096001234"}}
    assert set(errors("1.004873", data)) == {"/requester"}
    data["requester"] = {"full_name": "Lê Thị Hoa", "id_type": "cccd", "citizen_id": "075170001234",
                         "relationship": "nguoi_than_thich"}
    assert errors("1.004873", data) == {}
    assert needed("1.004873", data) == ["van_ban_uy_quyen"]


def test_names_and_agencies_as_the_review_asked():
    assert "bản sao Giấy khai sinh" in definition("2.000635")["name"]
    kinds = [o["const"] for o in definition("2.000635")["schema"]["properties"]["extract_type"]["oneOf"]]
    assert "giay_khai_sinh" in kinds
    health = definition("LOCAL.BHYT.TE6")
    assert health["tier"] != "commune" and "Bảo hiểm xã hội" in health["agency"]


def test_every_procedure_the_seed_guides_list_is_shipped():
    # Lộc Tấn's and Tam Đa's guides (seeds/); "đăng ký lại việc giám hộ" is taken to mean the end of
    # a guardianship and the change of guardian (docs/procedures.md).
    seeds = {"khai sinh – thường trú – BHYT": "2.000986", "khai tử – xóa thường trú": "1.006714",
             "kết hôn": "1.000894", "đăng ký lại kết hôn": "1.004746", "giám hộ": "1.004837",
             "đăng ký lại việc giám hộ (chấm dứt)": "1.004845",
             "đăng ký lại việc giám hộ (thay đổi)": "LOCAL.GIAMHO.THAYDOI",
             "xác nhận tình trạng hôn nhân": "1.004873", "trích lục hộ tịch": "2.000635",
             "khai sinh": "1.001193", "cấp thẻ BHYT": "LOCAL.BHYT.TE6", "bảo trợ xã hội": "1.001776",
             "khai tử": "1.000656"}
    assert set(seeds.values()) <= set(DEFINITIONS)


@pytest.mark.parametrize("code,first", [("2.000986", "1.001193"), ("1.006714", "1.000656"),
                                        ("LOCAL.GIAMHO.THAYDOI", "1.004845")])
def test_linked_parts_wait_for_the_part_they_need(code, first):
    data = definition(code)
    linked = data["linked_procedures"]
    assert set(linked) <= set(DEFINITIONS)
    assert first in linked and first not in data["linked_after"]
    assert all(waits == [first] for waits in data["linked_after"].values())
    assert set(data["linked_after"]) == set(linked) - {first}


@pytest.mark.parametrize("code", ["1.001193", "1.000894", "1.000656", "1.004837", "1.004845",
                                  "1.004873", "1.004746", "2.000986", "1.006714"])
def test_civil_status_procedures_cite_the_current_texts(code):
    basis = " | ".join(definition(code)["legal_basis"])
    assert "07/2025/NĐ-CP" in basis and "04/2024/TT-BTP" in basis
    if code in ("1.001193", "1.000894", "2.000986"):
        assert "481/BTP-HTQTCT" in basis
