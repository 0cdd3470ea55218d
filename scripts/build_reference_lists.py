"""Rebuild app/procedures/lists/nationalities.json from pycountry (the codes) and CLDR (the names).

pycountry gives the ISO 3166-1 code list. Its own Vietnamese names (the iso-codes gettext catalogue)
are not those of Vietnamese official papers ("Cộng hoà Nam Hàn", "Căm Bốt", "Mỹ"), so the names
come from the Unicode CLDR data that Babel ships (`Locale("vi").territories`), with the few
overrides below. Run from the repository root:  .venv/bin/python scripts/build_reference_lists.py
"""
from __future__ import annotations

import json
import unicodedata
from importlib.metadata import version
from pathlib import Path

import babel
import pycountry
from babel import Locale
from babel.core import get_global

OUT = Path(__file__).resolve().parent.parent / "app" / "procedures" / "lists" / "nationalities.json"
VIET_NAM = "VN"
STATELESS = {"code": "XX", "vi": "Không quốc tịch", "en": "Stateless"}  # ISO 3166-1 user-assigned XA–XZ

# Where CLDR's Vietnamese differs from the form Vietnamese state papers use.
OVERRIDES = {
    "TW": ("Đài Loan (Trung Quốc)", "Taiwan (China)"),
    "HK": ("Hồng Kông (Trung Quốc)", "Hong Kong (China)"),
    "MO": ("Ma Cao (Trung Quốc)", "Macao (China)"),
    "PS": ("Palestine", "Palestine"),
    "MM": ("Myanmar", "Myanmar"),
    "VN": ("Việt Nam", "Viet Nam"),
}

# Vietnamese alphabetical order: letters (ă, â, đ, ê, ô, ơ, ư are letters), then tones.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
MODIFIERS = {"\u0306", "\u0302", "\u031b"}


def vietnamese_key(text: str) -> tuple:
    letters, tones = [], []
    for char in text.lower():
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        tones.append(max((TONES.get(c, 0) for c in parts), default=0))
        letters.append(ALPHABET.index(base) if base in ALPHABET else 100 + ord(base[0]))
    return tuple(letters), tuple(tones)


def build() -> dict:
    vi, en = Locale("vi").territories, Locale("en").territories
    rows = []
    for country in pycountry.countries:
        code = country.alpha_2
        name_vi, name_en = OVERRIDES.get(code, (vi.get(code), en.get(code, country.name)))
        rows.append({"code": code, "vi": name_vi, "en": name_en})
    rows.sort(key=lambda row: (row["code"] != VIET_NAM, vietnamese_key(row["vi"])))
    names = [row["vi"] for row in rows]
    assert len(set(names)) == len(names), "two countries share a Vietnamese name"
    return {
        "title": "Danh mục quốc tịch",
        "source": (f"Mã: ISO 3166-1 alpha-2 theo pycountry {version('pycountry')}"
                   f"; tên tiếng Việt và tiếng Anh: Unicode CLDR {get_global('cldr')['version']} "
                   f"(Babel {babel.__version__}), trừ các tên ghi ở 'overrides'."),
        "source_en": (f"Codes: ISO 3166-1 alpha-2 from pycountry {version('pycountry')}; "
                      "Vietnamese and English names: Unicode "
                      f"CLDR {get_global('cldr')['version']} through Babel {babel.__version__}, except 'overrides'."),
        "overrides": {code: vi_en[0] for code, vi_en in OVERRIDES.items()},
        "stateless_note": "XX (Không quốc tịch) is a user-assigned code (ISO 3166-1 reserves XA-XZ) for stateless persons.",
        "countries": rows + [STATELESS],
    }


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
