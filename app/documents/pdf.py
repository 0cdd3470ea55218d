"""Small PDF builder for official papers: header with the unit, then typed blocks.

Uses fpdf2 (pure Python, well kept, embeds TrueType subsets) with DejaVu Serif, whose
glyphs cover every Vietnamese letter with its diacritics (see fonts/LICENSE-DejaVu.txt).

    from app.documents.pdf import render_pdf, Heading, Paragraph, Fields, Table, QRCode
    data = render_pdf("GIẤY TIẾP NHẬN HỒ SƠ", unit, [Paragraph("…"), Fields([("Mã hồ sơ", code)])])
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence, Union

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSerif"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass
class Heading:
    """A bold line (section title)."""

    text: str
    size: int = 12


@dataclass
class Paragraph:
    """Running text; wraps across lines and pages."""

    text: str
    bold: bool = False
    align: str = "J"  # L, C, R or J


@dataclass
class Fields:
    """Label: value rows (bold label), for codes, names and dates."""

    rows: Sequence[tuple[str, Any]]


@dataclass
class Bullets:
    """A list of items, one per line, each prefixed with a dash."""

    items: Sequence[str]


@dataclass
class Table:
    """A grid with a header row; cells are text."""

    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int] | None = None  # relative column widths


@dataclass
class QRCode:
    """A QR code of `data` (e.g. the public lookup URL) with an optional caption."""

    data: str
    caption: str = ""
    size_mm: int = 30


@dataclass
class Signature:
    """The signing block at the bottom right: place/date, title and name."""

    title: str
    name: str = ""
    place_date: str = ""


@dataclass
class Spacer:
    height_mm: float = 4


@dataclass
class Reserve:
    """Keep the foot of the last page free (for a stamp added later): a new page if needed."""

    height_mm: float = 55


Block = Union[Heading, Paragraph, Fields, Bullets, Table, QRCode, Signature, Spacer, Reserve]


@dataclass
class Issuer:
    """Who issues the paper: shown top left (parent authority, unit name, unit code)."""

    name: str
    code: str = ""
    parent: str = ""
    extra: list[str] = field(default_factory=list)


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


class _Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSerif.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSerif-Bold.ttf"))
        self.set_margins(20, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_creator("MotCua")
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="C")


def _header(pdf: _Document, issuer: Issuer, title: str, subtitle: str) -> None:
    """The two-column heading of Vietnamese official papers, then the title."""
    left_w = 80
    right_w = pdf.epw - left_w
    top = pdf.get_y()
    pdf.set_font(FONT, "", 10)
    if issuer.parent:
        pdf.multi_cell(left_w, 5, issuer.parent.upper(), align="C",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 10)
    if issuer.name:
        pdf.multi_cell(left_w, 5, issuer.name.upper(), align="C",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    if issuer.code:
        pdf.multi_cell(left_w, 5, f"Mã đơn vị: {issuer.code}", align="C",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for line in issuer.extra:
        pdf.multi_cell(left_w, 5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(right_w, 5, NATION, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(right_w, 5, MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    right_bottom = pdf.get_y()
    pdf.set_y(max(left_bottom, right_bottom) + 6)
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if subtitle:
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, 5, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M %d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _block(pdf: _Document, block: Block) -> None:
    if isinstance(block, Heading):
        pdf.ln(1)
        pdf.set_font(FONT, "B", block.size)
        pdf.multi_cell(0, 6, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Paragraph):
        pdf.set_font(FONT, "B" if block.bold else "", 11)
        pdf.multi_cell(0, 6, block.text, align=block.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Fields):
        for label, value in block.rows:
            pdf.set_font(FONT, "", 11)
            pdf.multi_cell(0, 6, f"**{label}:** {_text(value)}", markdown=True,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Bullets):
        pdf.set_font(FONT, "", 11)
        for item in block.items:
            pdf.multi_cell(0, 6, f"- {item}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Table):
        pdf.set_font(FONT, "", 9)
        widths = tuple(block.widths) if block.widths else None
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=5,
                       headings_style=_heading_style()) as table:
            table.row([str(h) for h in block.headers])
            for row in block.rows:
                table.row([_text(c) for c in row])
        pdf.ln(2)
    elif isinstance(block, QRCode):
        _qr(pdf, block)
    elif isinstance(block, Signature):
        _signature(pdf, block)
    elif isinstance(block, Spacer):
        pdf.ln(block.height_mm)
    elif isinstance(block, Reserve):
        if pdf.get_y() > pdf.h - block.height_mm:
            pdf.add_page()
    else:  # pragma: no cover - programming error
        raise TypeError(f"unknown PDF block {type(block).__name__}")


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", fill_color=(235, 235, 235))


def _qr(pdf: _Document, block: QRCode) -> None:
    import qrcode

    image = qrcode.make(block.data, border=2).get_image()
    if pdf.will_page_break(block.size_mm + 8):
        pdf.add_page()
    pdf.image(image, x=pdf.l_margin, w=block.size_mm, h=block.size_mm)
    if block.caption:
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 4, block.caption, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _signature(pdf: _Document, block: Signature) -> None:
    if pdf.will_page_break(35):
        pdf.add_page()
    pdf.ln(4)
    width = 85
    x = pdf.l_margin + pdf.epw - width
    for text, style in ((block.place_date, ""), (block.title, "B"), ("", ""), ("", ""),
                        (block.name, "B")):
        pdf.set_x(x)
        pdf.set_font(FONT, style, 11)
        pdf.multi_cell(width, 6, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_pdf(title: str, unit: Any, blocks: Iterable[Block], *, subtitle: str = "") -> bytes:
    """A one-or-more-page A4 PDF: the unit's header, the title, then the blocks."""
    pdf = _Document(title)
    pdf.add_page()
    _header(pdf, issuer_of(unit), title, subtitle)
    for block in blocks:
        _block(pdf, block)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()


def place_date(place: str, when: dt.date | None = None) -> str:
    """'Lộc Tấn, ngày 05 tháng 02 năm 2026' as official papers date themselves."""
    when = when or dt.date.today()
    return f"{place}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}"
