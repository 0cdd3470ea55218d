"""Custom formats: Vietnamese phone, personal identification number, administrative unit."""

import pytest

from app.forms import formats
from app.forms.engine import validate


@pytest.mark.parametrize("value", ["0912345678", "+84912345678", "02838123456"])
def test_vn_phone_accepts_mobile_international_and_landline(value):
    assert formats.is_vn_phone(value)


@pytest.mark.parametrize("value", ["912345678", "091234567", "+8491234567", "0912 345 678", "abc", "+840912345678"])
def test_vn_phone_rejects_others(value):
    assert not formats.is_vn_phone(value)


@pytest.mark.parametrize("value", ["001090123456", "079201012345", "096399999999"])
def test_citizen_id_accepts_plausible_numbers(value):
    assert formats.is_vn_citizen_id(value)


@pytest.mark.parametrize(
    "value",
    ["000090123456", "097090123456", "001490123456", "00109012345", "0010901234567", "00109012345a", "٠٠١٠٩٠١٢٣٤٥٦"],
)
def test_citizen_id_rejects_bad_province_century_or_length(value):
    assert not formats.is_vn_citizen_id(value)


def test_unit_default_resolver_accepts_two_or_five_digits():
    assert formats.is_vn_unit("79") and formats.is_vn_unit("25123")
    assert not formats.is_vn_unit("123") and not formats.is_vn_unit("ab")


def test_unit_resolver_is_pluggable():
    formats.set_unit_resolver(lambda code: code == "XYZ")
    schema = {"type": "string", "format": "vn-unit"}
    assert validate(schema, "XYZ") == []
    assert [e.keyword for e in validate(schema, "79")] == ["format"]


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("date", "2024-02-29", "2023-02-29"),
        ("date-time", "2024-01-02T08:30:00+07:00", "2024-01-02 8:30"),
        ("email", "a.b@example.vn", "a@b"),
    ],
)
def test_standard_formats_are_asserted(fmt, good, bad):
    schema = {"type": "string", "format": fmt}
    assert validate(schema, good) == []
    assert [e.keyword for e in validate(schema, bad)] == ["format"]


def test_formats_ignore_non_strings():
    assert validate({"format": "vn-phone"}, 12) == []
