"""The tracking register of a unit for a period (Mẫu 07, Circular 03/2025/TT-VPCP) as rows, as a
PDF (the papers' layout) and as an XLSX workbook (openpyxl). Texts are Vietnamese: it is an
administrative document."""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.core.moments import local
from app.documents.pdf import Fields, Issuer, Paragraph, Signature, Table, place_date, render_pdf
from app.dossiers.register import RegisterQuery, applicant_of, entries
from app.dossiers.status import Status

TITLE = "SỔ THEO DÕI HỒ SƠ"
HEADERS = ["Số thứ tự", "Mã hồ sơ", "Tên thủ tục hành chính", "Tên cá nhân, tổ chức",
           "Số điện thoại", "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ", "Trả kết quả",
           "Ghi chú"]
WIDTHS = (8, 17, 22, 16, 12, 13, 13, 14, 13, 14)


def _moment(value: dt.datetime | None) -> str:
    return local(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def rows(query: RegisterQuery) -> list[list[str]]:
    """One row per line of the register: number, dossier, applicant, dates, what became of it."""
    result = []
    for entry in entries(query):
        dossier = entry.dossier
        notes = []
        if entry.forwarded_to is not None:
            transfer = f"{entry.forwarded_to.name}, {_moment(entry.forwarded_at)}"
            notes.append("Đã chuyển")
        else:
            transfer = ""
        if dossier.status in (Status.REJECTED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN):
            notes.append(Status(dossier.status).label_in("vi"))
        if dossier.completed_at is not None and dossier.on_time is not None:
            notes.append("Đúng hạn" if dossier.on_time and not dossier.is_late else "Quá hạn")
        if dossier.channel == "counter":
            notes.append("Nộp trực tiếp")
        elif dossier.channel == "online":
            notes.append("Nộp trực tuyến")
        result.append([f"{entry.number}/{entry.year}", dossier.code, dossier.procedure.name,
                       applicant_of(dossier), dossier.contact_phone or "",
                       _moment(dossier.received_at if entry.unit_id == dossier.unit_id and
                               entry.forwarded_to_id is None else entry.entered_at),
                       _day(dossier.due_date), transfer, _moment(dossier.completed_at),
                       "; ".join(notes)])
    return result


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"Từ ngày {_day(start)} đến ngày {_day(end)}"
    if start:
        return f"Từ ngày {_day(start)}"
    if end:
        return f"Đến ngày {_day(end)}"
    return "Toàn bộ"


def register_pdf(unit: Any, query: RegisterQuery) -> bytes:
    """The register as the papers print it: unit block, title, the period, the table."""
    parent = unit.parent.name if unit.parent is not None else ""
    issuer = Issuer(name=f"Ủy ban nhân dân {unit.running_name}", parent=parent, code=unit.code,
                    extra=[unit.centre])
    lines = rows(query)
    return render_pdf(TITLE, issuer, [
        Fields([("Kỳ", period_text(query.start, query.end)), ("Số hồ sơ", str(len(lines)))]),
        Table(HEADERS, lines or [["", "", "(Chưa có hồ sơ)", "", "", "", "", "", "", ""]],
              widths=WIDTHS),
        Paragraph("Sổ được lập theo Mẫu số 07 ban hành kèm theo Thông tư số 03/2025/TT-VPCP."),
        Signature("NGƯỜI LẬP SỔ", "", place_date(unit.running_name.split(" ", 1)[-1],
                                                 dt.date.today())),
    ], subtitle=unit.centre)


def register_xlsx(unit: Any, query: RegisterQuery) -> bytes:
    """The register as a workbook: a heading, the period, one row per line."""
    book = Workbook()
    sheet = book.active
    sheet.title = "So theo doi ho so"
    sheet.append([f"Ủy ban nhân dân {unit.running_name}"])
    sheet.append([unit.centre])
    sheet.append([TITLE])
    sheet.append([period_text(query.start, query.end)])
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[6]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows(query):
        sheet.append(row)
    for line in (1, 2, 3):
        sheet.cell(row=line, column=1).font = Font(bold=True, size=13 if line == 3 else 11)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width * 1.4
    sheet.freeze_panes = "A7"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
