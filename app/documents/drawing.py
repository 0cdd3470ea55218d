"""The drawing of `app.documents.pdf`'s papers with fpdf2: the heading of Decree 30/2020 and
each kind of block. Imported by `pdf.render_pdf` when the first paper is made, so that a
process that makes none never loads fpdf2 and fontTools."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any, Iterable

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from app.documents.pdf import (
    BODY_SIZE,
    FONT,
    LINE,
    MOTTO,
    NATION,
    Block,
    Bullets,
    Fields,
    Heading,
    Issuer,
    PageBreak,
    Paragraph,
    QRCode,
    Recipients,
    Reserve,
    Signature,
    Signatures,
    Spacer,
    Table,
    add_fonts,
)


class _Document(FPDF):
    def __init__(self, title: str, orientation: str = "P") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        add_fonts(self)
        # Decree 30/2020, Annex I: margins top 20-25, bottom 20-25, left 30-35, right 15-20 mm.
        self.set_margins(30, 20, 15)
        self.set_auto_page_break(True, margin=20)
        self.set_title(title)
        self.set_creator("MotCua")

    def header(self) -> None:
        # Decree 30/2020: page numbers at the top centre, none on the first page.
        if self.page_no() > 1:
            y = self.get_y()
            self.set_y(10)
            self.set_font(FONT, "", 12)
            self.cell(0, 5, str(self.page_no()), align="C")
            self.set_y(max(y, 20))


def _upper(text: str) -> str:
    return text.upper()


def _balanced(pdf: FPDF, text: str, width: float) -> list[str]:
    """The name's lines in capitals; a line too wide is cut in two near its middle word
    ('TRUNG TÂM PHỤC VỤ / HÀNH CHÍNH CÔNG'), as the forms print it, rather than wrapped ragged."""
    out: list[str] = []
    for line in text.split("\n"):
        line = _upper(line)
        words = line.split()
        if pdf.get_string_width(line) <= width - 2 or len(words) < 2:
            out.append(line)
            continue
        cut = min(range(1, len(words)), key=lambda i: abs(
            pdf.get_string_width(" ".join(words[:i])) - pdf.get_string_width(" ".join(words[i:]))))
        out += [" ".join(words[:cut]), " ".join(words[cut:])]
    return out


def _rule(pdf: FPDF, center_x: float, width: float) -> None:
    pdf.set_line_width(0.3)
    y = pdf.get_y() + 0.6
    pdf.line(center_x - width / 2, y, center_x + width / 2, y)


def _header(pdf: _Document, issuer: Issuer, title: str, subtitle: str, number: str | None,
            dateline: str | None) -> None:
    """The two-column heading of Decree 30/2020: unit block and number on the left, national
    name and motto (each motto underlined) and the place and date on the right, then the title."""
    left_w = 72
    right_w = pdf.epw - left_w
    top = pdf.get_y()
    left_x = pdf.l_margin
    left_center = left_x + left_w / 2
    pdf.set_font(FONT, "", 12)
    if issuer.parent:
        pdf.set_x(left_x)
        pdf.multi_cell(left_w, 5.2, _upper(issuer.parent), align="C", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
    name_width = 0.0
    if issuer.name:
        pdf.set_font(FONT, "B", 12)
        for line in _balanced(pdf, issuer.name, left_w):
            pdf.set_x(left_x)
            pdf.multi_cell(left_w, 5.2, _upper(line), align="C", new_x=XPos.LMARGIN,
                           new_y=YPos.NEXT)
            name_width = max(name_width, min(left_w, pdf.get_string_width(_upper(line))))
    pdf.set_font(FONT, "", 12)
    for line in issuer.extra:
        pdf.set_x(left_x)
        pdf.multi_cell(left_w, 5.2, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if issuer.name or issuer.parent:
        # The rule under the issuing body: a third to a half of its line, centred.
        _rule(pdf, left_center, max(18.0, name_width * 0.4))
        pdf.ln(2.5)
    if number:
        pdf.set_font(FONT, "", 13)
        pdf.set_x(left_x)
        pdf.multi_cell(left_w, 6, number, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    left_bottom = pdf.get_y()

    right_x = left_x + left_w
    right_center = right_x + right_w / 2
    pdf.set_xy(right_x, top)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(right_w, 5.2, NATION, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 13)
    pdf.set_x(right_x)
    pdf.multi_cell(right_w, 5.6, MOTTO, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    _rule(pdf, right_center, pdf.get_string_width(MOTTO))
    pdf.ln(2.5)
    if dateline:
        pdf.set_font(FONT, "I", 13)
        pdf.set_x(right_x)
        pdf.multi_cell(right_w, 6, dateline, align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
    right_bottom = pdf.get_y()

    pdf.set_xy(pdf.l_margin, max(left_bottom, right_bottom) + 7)
    if title:
        pdf.set_font(FONT, "B", 14)
        pdf.multi_cell(0, 7, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if subtitle:
        pdf.set_font(FONT, "", 13)
        pdf.multi_cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M %d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _escape_md(text: str) -> str:
    """Text for fpdf2's markdown mode without its markers taking effect."""
    for marker in ("**", "__", "--", "~~"):
        text = text.replace(marker, marker[0] + "\u200b" + marker[1])
    return text


def _block(pdf: _Document, block: Block, state: dict) -> None:
    if isinstance(block, Heading):
        pdf.ln(1)
        pdf.set_font(FONT, "B", block.size)
        pdf.multi_cell(0, LINE, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Paragraph):
        style = ("B" if block.bold else "") + ("I" if block.italic else "")
        pdf.set_font(FONT, style, block.size)
        text = ("\u2003\u2003" if block.indent else "") + block.text
        pdf.multi_cell(0, LINE, text, align=block.align, markdown=block.markdown,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Fields):
        for label, value in block.rows:
            pdf.set_font(FONT, "", BODY_SIZE)
            head = f"**{_escape_md(label)}:**" if block.bold else f"{_escape_md(label)}:"
            pdf.multi_cell(0, LINE, f"{head} {_escape_md(_text(value))}", markdown=True,
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Bullets):
        pdf.set_font(FONT, "", BODY_SIZE)
        for number, item in enumerate(block.items, start=1):
            mark = f"{number}." if block.numbered else "-"
            pdf.multi_cell(0, LINE, f"{mark} {item}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, QRCode):
        _qr(pdf, block)
    elif isinstance(block, Signature):
        _signatures(pdf, None, block)
    elif isinstance(block, Signatures):
        _signatures(pdf, block.left, block.right)
    elif isinstance(block, Recipients):
        _signatures(pdf, block, None)
    elif isinstance(block, Spacer):
        pdf.ln(block.height_mm)
    elif isinstance(block, Reserve):
        if pdf.get_y() > pdf.h - block.height_mm:
            pdf.add_page()
    elif isinstance(block, PageBreak):
        pdf.add_page()
        _header(pdf, state["issuer"], state["title"],
                block.note if block.note is not None else state["subtitle"],
                block.number if block.number is not None else state["number"], state["dateline"])
    else:  # pragma: no cover - programming error
        raise TypeError(f"unknown PDF block {type(block).__name__}")


def _table(pdf: _Document, block: Table) -> None:
    pdf.set_font(FONT, "", block.size)
    widths = tuple(block.widths) if block.widths else None
    headers = [str(h) for h in block.headers]
    heading_rows = 1 + bool(block.groups) + bool(block.numbered)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=block.size * 0.45,
                   width=pdf.epw, align="LEFT", num_heading_rows=heading_rows,
                   headings_style=FontFace(family=FONT, emphasis="BOLD"),
                   padding=1) as table:
        if block.groups:
            top, column, below = table.row(), 0, []
            for label, span in block.groups:
                if span == 1 and not label:
                    top.cell(headers[column], rowspan=2, align="C")
                else:
                    top.cell(label, colspan=span, align="C")
                    below += headers[column:column + span]
                column += span
            second = table.row()
            for header in below:
                second.cell(header, align="C")
        else:
            table.row(headers)
        if block.numbered:
            numbers = table.row()
            for index in range(1, len(headers) + 1):
                numbers.cell(f"({index})", align="C",
                             style=FontFace(family=FONT, emphasis="ITALICS"))
        for row in block.rows:
            table.row([_text(c) for c in row])
    pdf.ln(2)


def _qr(pdf: _Document, block: QRCode) -> None:
    import qrcode

    image = qrcode.make(block.data, border=2).get_image()
    if pdf.will_page_break(block.size_mm + 2):
        pdf.add_page()
    top = pdf.get_y()
    pdf.image(image, x=pdf.l_margin, y=top, w=block.size_mm, h=block.size_mm)
    if block.caption:  # beside the code, not under it: the foot's signatures need the room
        pdf.set_font(FONT, "", 9)
        pdf.set_xy(pdf.l_margin + block.size_mm + 3, top + block.size_mm / 2 - 4)
        pdf.multi_cell(pdf.epw - block.size_mm - 3, 4, block.caption, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
    pdf.set_y(top + block.size_mm + 1)


def _signature_lines(block: Signature) -> list[tuple[str, str, float]]:
    lines: list[tuple[str, str, float]] = []
    if block.place_date:
        lines.append((block.place_date, "I", 13))
    lines += [(line, "B", 13) for line in block.title.split("\n") if line]
    if block.hint:
        lines.append((block.hint, "I", 12))
    lines += [("", "", 13)] * 4
    lines.append((block.name, "B", 13))
    return lines


def _recipient_lines(block: Recipients) -> list[tuple[str, str, float]]:
    return [("Nơi nhận:", "BI", 12)] + [(f"- {item}", "", 11) for item in block.items]


def _column(pdf: _Document, x: float, width: float, top: float,
            lines: list[tuple[str, str, float]], align: str) -> float:
    pdf.set_y(top)
    for text, style, size in lines:
        pdf.set_x(x)
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(width, 5.6 if size < 12 else 6, text, align=align,
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return pdf.get_y()


def _signatures(pdf: _Document, left: Signature | Recipients | None, right: Signature | None) -> None:
    """Foot blocks: the right one centred in the right half, the left one in the left half."""
    blocks = [b for b in (left, right) if b is not None]
    height = max(len(_signature_lines(b)) if isinstance(b, Signature) else len(b.items) + 1
                 for b in blocks) * 6 + 6
    if pdf.will_page_break(height):
        pdf.add_page()
    pdf.ln(4)
    top = pdf.get_y()
    half = pdf.epw / 2
    bottoms = [top]
    if left is not None:
        if isinstance(left, Recipients):
            bottoms.append(_column(pdf, pdf.l_margin, half, top, _recipient_lines(left), "L"))
        else:
            bottoms.append(_column(pdf, pdf.l_margin, half, top, _signature_lines(left), "C"))
    if right is not None:
        width = max(half, 85)
        bottoms.append(_column(pdf, pdf.l_margin + pdf.epw - width, width, top,
                               _signature_lines(right), "C"))
    pdf.set_y(max(bottoms))


def render(title: str, issuer: Issuer, blocks: Iterable[Block], *, subtitle: str,
           number: str | None, dateline: str | None, landscape: bool) -> bytes:
    """`pdf.render_pdf`'s document, drawn."""
    pdf = _Document(title, "L" if landscape else "P")
    pdf.add_page()
    state = {"issuer": issuer, "title": title, "subtitle": subtitle, "number": number,
             "dateline": dateline}
    _header(pdf, issuer, title, subtitle, number, dateline)
    for block in blocks:
        _block(pdf, block, state)
    buffer = io.BytesIO()
    pdf.output(buffer)
    return buffer.getvalue()
