"""Small PDF builder for official papers: the heading of Decree 30/2020, then typed blocks.

Uses fpdf2 (pure Python, embeds TrueType subsets) with Liberation Serif, metric-compatible with
Times New Roman (the typeface Decree 30/2020/NĐ-CP prescribes) and covering every Vietnamese
letter (fonts/LICENSE-LiberationSerif.txt: SIL Open Font License 1.1).

    from app.documents.pdf import render_pdf, Issuer, Paragraph, Fields, Signatures, Signature
    data = render_pdf("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                      Issuer(parent="Ủy ban nhân dân xã Lộc Tấn",
                             name="Trung tâm Phục vụ hành chính công"),
                      [Paragraph("…"), Fields([("Mã hồ sơ", code)])],
                      number="Số: 12/GTN", dateline=place_date("Lộc Tấn", day))

The blocks and texts are here; their drawing with fpdf2 is in `drawing.py`, imported by the
first `render_pdf` of a process (fpdf2 and fontTools weigh ≈ 25 MB, and most workers' requests
make no paper: docs/performance.md, "Worker memory").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence, Union

if TYPE_CHECKING:
    from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "LiberationSerif"
FONT_FILES = {"": "LiberationSerif-Regular.ttf", "B": "LiberationSerif-Bold.ttf",
              "I": "LiberationSerif-Italic.ttf", "BI": "LiberationSerif-BoldItalic.ttf"}
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
BODY_SIZE = 13  # Decree 30/2020: body text 13-14 pt
LINE = 6.2


def add_fonts(pdf: FPDF) -> None:
    """Register the serif family (regular, bold, italic, bold italic) with a document."""
    for style, filename in FONT_FILES.items():
        pdf.add_font(FONT, style, str(FONT_DIR / filename))


@dataclass
class Heading:
    """A bold line (section title)."""

    text: str
    size: int = BODY_SIZE


@dataclass
class Paragraph:
    """Running text; wraps across lines and pages (`markdown`: **bold** and __italic__ spans)."""

    text: str
    bold: bool = False
    align: str = "J"  # L, C, R or J
    italic: bool = False
    indent: bool = False  # first-line indent of running text
    size: float = BODY_SIZE
    markdown: bool = False


@dataclass
class Fields:
    """Label: value rows, for codes, names and dates (`bold`: bold labels)."""

    rows: Sequence[tuple[str, Any]]
    bold: bool = False


@dataclass
class Bullets:
    """A list of items, one per line, each prefixed with a dash (or numbered)."""

    items: Sequence[str]
    numbered: bool = False


@dataclass
class Table:
    """A grid with a header row; cells are text (a cell may hold several lines).

    `groups` adds a row above the headers: `(label, span)` pairs from the left, a label over
    `span` columns; `("", 1)` lets that column's header fill both rows (a register's
    "Ngày, tháng, năm" over its date columns). `numbered` adds the row of column numbers
    "(1) (2) …" under the headers, as the forms print it. Header rows repeat on every page."""

    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int] | None = None  # relative column widths
    size: float = 11
    groups: Sequence[tuple[str, int]] | None = None
    numbered: bool = False


@dataclass
class QRCode:
    """A QR code of `data` (e.g. the public lookup URL) with an optional caption."""

    data: str
    caption: str = ""
    size_mm: int = 26


@dataclass
class Signature:
    """A signing block: title lines (bold caps), a hint in italics, room to sign, the name."""

    title: str
    name: str = ""
    place_date: str = ""  # optional dateline above the title
    hint: str = "(Ký và ghi rõ họ tên)"


@dataclass
class Recipients:
    """"Nơi nhận:" and its lines, at the foot left of an administrative letter."""

    items: Sequence[str]


@dataclass
class Signatures:
    """Blocks side by side at the foot: a Signature or Recipients on the left, one on the right."""

    left: Signature | Recipients | None
    right: Signature | None


@dataclass
class Spacer:
    height_mm: float = 4


@dataclass
class Reserve:
    """Keep the foot of the last page free (for a stamp added later): a new page if needed."""

    height_mm: float = 55


@dataclass
class PageBreak:
    """Start a new page repeating the heading (e.g. the second copy of a receipt)."""

    number: str | None = None
    note: str | None = None  # replaces the line under the title (e.g. which copy)


Block = Union[Heading, Paragraph, Fields, Bullets, Table, QRCode, Signature, Signatures, Recipients,
              Spacer, Reserve, PageBreak]


@dataclass
class Issuer:
    """Who issues the paper, top left: the governing body (upright caps) over the issuing one
    (bold caps). `name` may hold a line break ("ỦY BAN NHÂN DÂN\\nXÃ LỘC TẤN")."""

    name: str
    code: str = ""  # kept for callers; not printed (no form of Decree 30 shows it)
    parent: str = ""
    extra: list[str] = field(default_factory=list)  # more upright lines under the name


def issuer_of(unit: Any) -> Issuer:
    """An Issuer from an AdministrativeUnit-like object, an Issuer, a dict or a name."""
    if unit is None:
        return Issuer(name="")
    if isinstance(unit, Issuer):
        return unit
    if isinstance(unit, str):
        return Issuer(name=unit)
    if isinstance(unit, dict):
        return Issuer(name=unit.get("name", ""), code=unit.get("code", ""),
                      parent=unit.get("parent", ""))
    parent = getattr(unit, "parent", None)
    return Issuer(name=getattr(unit, "name", str(unit)), code=getattr(unit, "code", "") or "",
                  parent=getattr(parent, "name", "") or "")


def render_pdf(title: str, unit: Any, blocks: Iterable[Block], *, subtitle: str = "",
               number: str | None = None, dateline: str | None = None,
               landscape: bool = False) -> bytes:
    """A one-or-more-page A4 PDF: the heading (issuer, number, motto, place and date), the title,
    then the blocks. `unit` is None for a citizen's own document (no issuer block); `landscape`
    for a wide table (the register)."""
    # fpdf2 and fontTools (≈ 25 MB per process) are loaded by the first paper, not at start.
    from app.documents import drawing

    return drawing.render(title, issuer_of(unit), blocks, subtitle=subtitle, number=number,
                          dateline=dateline, landscape=landscape)


def vn_date(when: dt.date) -> str:
    """'ngày 05 tháng 02 năm 2026', 'ngày 15 tháng 3 năm 2026' (Decree 30/2020, Annex I: days
    below 10 and the months 1 and 2 take a leading zero, the other months none)."""
    month = f"{when.month:02d}" if when.month < 3 else str(when.month)
    return f"ngày {when.day:02d} tháng {month} năm {when.year}"


def vn_moment(moment: dt.datetime) -> str:
    """'09 giờ 30 phút, ngày 05 tháng 02 năm 2026' as the receipt writes its times."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {vn_date(moment.date())}"


def place_date(place: str, when: dt.date | None = None) -> str:
    """'Lộc Tấn, ngày 05 tháng 02 năm 2026' as official papers date themselves."""
    when = when or dt.date.today()
    return f"{place}, {vn_date(when)}"
