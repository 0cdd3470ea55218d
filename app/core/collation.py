"""Vietnamese alphabetical order (a ă â b c d đ e ê … o ô ơ … u ư …, then the tones) as a plain
ASCII sort key, so that SQLite and PostgreSQL order lists the same way, with an index.

It follows the order of ICU's `vi` collation (PostgreSQL's "vi-VN-x-icu") for Vietnamese text:
letters first (ă, â, đ, ê, ô, ơ, ư are letters of their own), tones only to break ties, in the
order ngang, huyền, hỏi, ngã, sắc, nặng.
"""
from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_LETTER = {ch: index for index, ch in enumerate(ALPHABET)}
_DIGITS = "0123456789"


def _code(index: int) -> str:
    """Two lowercase letters that sort as the index does ("ab" < "ac" < … < "ba")."""
    return chr(ord("a") + index // 26) + chr(ord("a") + index % 26)


def vietnamese_key(text: str | None) -> str:
    """The sort key of a text: digits before letters, a word break before both; tones break ties."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", (text or "").lower()):
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        tone = next((TONES[m] for m in marks if m in TONES), 0)
        quality = unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONES))
        if quality in _LETTER:
            letters.append(_code(len(_DIGITS) + 1 + _LETTER[quality]))
            tones.append(str(tone))
        elif quality in _DIGITS:
            letters.append(_code(1 + _DIGITS.index(quality)))
        elif quality.isspace() or quality in "-,.()/":
            if letters and letters[-1] != "aa":
                letters.append("aa")  # a word break sorts before any letter: "An Phú" < "Anh"
    while letters and letters[-1] == "aa":
        letters.pop()
    # "a" ends the letters: lower than any letter code, higher than the tone digits after it,
    # so "An" < "An Phú" < "Anh" and "Lộc" < "Lộc Tấn".
    return "".join(letters) + "a" + "".join(tones)


def without_division(name: str, division_type: str | None) -> str:
    """"Xã Lộc Tấn" → "Lộc Tấn": lists of units are read by the proper name."""
    prefix = (division_type or "").strip()
    if prefix and name.lower().startswith(prefix.lower() + " "):
        return name[len(prefix) + 1:]
    return name
