"""The official lists the forms choose from: 54 ethnic groups, every ISO 3166-1 nationality."""

import importlib.util
import json

import pycountry
from conftest import ROOT

from app.procedures import reference_lists as lists


def test_the_54_ethnic_groups_are_listed_once_each_with_their_code_and_source():
    groups = lists.ethnic_groups()
    assert len(groups) == 54 and len({g["name"] for g in groups}) == 54
    assert [g["code"] for g in groups] == [f"{i:02d}" for i in range(1, 55)]
    assert (groups[0]["name"], groups[4]["name"], groups[53]["name"]) == ("Kinh", "Khmer", "Ơ Đu")
    data = json.loads((lists.LISTS_DIR / "ethnic_groups.json").read_text(encoding="utf-8"))
    assert "1019/QĐ-TCTK" in data["source"]


def test_every_iso_country_has_a_vietnamese_name_viet_nam_first_stateless_last():
    rows = lists.nationalities()
    codes = [r["code"] for r in rows]
    assert codes[0] == "VN" and rows[0]["vi"] == "Việt Nam" and codes[-1] == lists.STATELESS
    assert set(codes[:-1]) == {c.alpha_2 for c in pycountry.countries}
    assert len({r["vi"] for r in rows}) == len(rows)  # no two countries read the same
    names = {r["code"]: r["vi"] for r in rows}
    # The names of Vietnamese papers, not pycountry's gettext ones ("Cộng hoà Nam Hàn", "Căm Bốt").
    assert (names["KR"], names["KH"], names["US"], names["TW"]) == \
        ("Hàn Quốc", "Campuchia", "Hoa Kỳ", "Đài Loan (Trung Quốc)")


def test_the_countries_after_viet_nam_follow_the_vietnamese_alphabet():
    spec = importlib.util.spec_from_file_location("build", ROOT / "scripts" / "build_reference_lists.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    names = [r["vi"] for r in lists.nationalities()[1:-1]]
    assert names == sorted(names, key=build.vietnamese_key)
    assert names.index("Ai Cập") < names.index("Áo") < names.index("Ấn Độ") < names.index("Bỉ")
    assert build.build()["countries"] == lists.nationalities()  # the shipped file is what the script writes


def test_list_schemas_are_selects_that_need_no_titles_for_names():
    ethnic, nationality = lists.ethnic_group_schema(), lists.nationality_schema()
    assert ethnic["enum"][:3] == ["Kinh", "Tày", "Thái"]
    assert nationality["oneOf"][0] == {"const": "VN", "title": "Việt Nam", "x-i18n": {"en": {"title": "Viet Nam"}}}
    assert lists.nationality_name("JP") == "Nhật Bản" and lists.nationality_name("JP", "en") == "Japan"


def test_with_current_lists_refreshes_the_lists_a_form_carries():
    schema = {"type": "object", "$defs": {"nationality": {"type": "string", "enum": ["Việt Nam"]}}}
    assert lists.stale_lists(schema) == ["nationality"]
    fresh = lists.with_current_lists(schema)
    assert lists.stale_lists(fresh) == [] and "ethnic_group" not in fresh["$defs"]
    assert "ethnic_group" in lists.with_current_lists(schema, ("ethnic_group",))["$defs"]
    assert schema["$defs"]["nationality"]["enum"] == ["Việt Nam"]  # the input is not changed
