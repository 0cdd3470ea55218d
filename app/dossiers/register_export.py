"""The tracking register of a unit for a period (Sổ theo dõi hồ sơ, Mẫu 07 of Circular
03/2025/TT-VPCP) as rows, as a PDF (the papers' layout, landscape A4) and as an XLSX workbook
(openpyxl). Texts are Vietnamese: it is an administrative document.

The columns follow the register of the one-stop forms (docs/procedures.md, "The register"):
TT; Mã hồ sơ; Tên thủ tục hành chính; Số lượng hồ sơ (bộ); Tên cá nhân, tổ chức; Địa chỉ, số
điện thoại; Cơ quan chủ trì giải quyết; then under "Ngày, tháng, năm": Nhận hồ sơ, Hẹn trả kết
quả, Chuyển hồ sơ đến cơ quan giải quyết, Nhận kết quả từ cơ quan giải quyết, Trả kết quả cho
cá nhân, tổ chức; Ký nhận; Ghi chú — numbered (1) to (14) under the headers.
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy import func, select

from app.core.moments import local
from app.documents.pdf import Issuer, Paragraph, Table, render_pdf
from app.dossiers.models import DossierEvent, RegisterEntry
from app.dossiers.papers import agency_for, applicant_address, centre_name, running_name
from app.dossiers.register import RegisterQuery, applicant_of, entries
from app.dossiers.status import Status
from app.extensions import db

TITLE = "SỔ THEO DÕI HỒ SƠ"
DATES = "Ngày, tháng, năm"
HEADERS = ["TT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)",
           "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết",
           "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
           "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả cho cá nhân, tổ chức", "Ký nhận",
           "Ghi chú"]
# The header row above: one label per column, "Ngày, tháng, năm" over the five dates.
GROUPS = [("", 1)] * 7 + [(DATES, 5)] + [("", 1)] * 2
# Widths in mm on landscape A4 (252 mm between the margins of Decree 30/2020), for 9 pt text:
# a dossier code and a date fit on one line.
WIDTHS = (8, 28, 25, 11, 20, 24, 22, 17, 17, 17, 17, 17, 12, 17)
DATE_COLUMNS = range(7, 12)
FAILED = (Status.REJECTED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN)
# The agency's answer that comes back to the centre (Mẫu 06's handovers).
ANSWERS = ("approve", "refuse", "stop")


def _moment(value: dt.datetime | None) -> str:
    return local(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _first_events(dossier_ids: list[int]) -> dict[tuple[int, str], dt.datetime]:
    """The first time each listed dossier was handed to the agency (process) and answered."""
    if not dossier_ids:
        return {}
    found = db.session.execute(
        select(DossierEvent.dossier_id, DossierEvent.action, func.min(DossierEvent.created_at))
        .where(DossierEvent.dossier_id.in_(dossier_ids),
               DossierEvent.action.in_(("process", *ANSWERS)))
        .group_by(DossierEvent.dossier_id, DossierEvent.action))
    return {(dossier_id, action): moment for dossier_id, action, moment in found}


def _signed_for(dossier: Any) -> str:
    """Column (13): the person signs the printed book at the counter; a result sent by post or
    online is marked so instead (its tracking number goes in the notes)."""
    if dossier.completed_at is None:
        return ""
    return {"post": "Bưu chính", "online": "Trực tuyến"}.get(dossier.return_method or "", "")


def _row(entry: RegisterEntry, events: dict[tuple[int, str], dt.datetime]) -> list[str]:
    dossier = entry.dossier
    forwarded = entry.forwarded_to is not None
    here = entry.unit_id == dossier.unit_id and not forwarded
    notes = []
    received = dossier.received_at if here else entry.entered_at
    if forwarded:
        handed = _moment(entry.forwarded_at)
        notes.append(f"Đã chuyển đến {running_name(entry.forwarded_to.name)}")
        answered = returned = ""
    else:
        handed = _moment(events.get((dossier.id, "process")))
        answered = next((_moment(events[(dossier.id, a)]) for a in ANSWERS
                         if (dossier.id, a) in events), "")
        returned = _moment(dossier.completed_at)
        if dossier.status in FAILED:
            notes.append(Status(dossier.status).label_in("vi"))
        if dossier.completed_at is not None and dossier.on_time is not None:
            notes.append("Đúng hạn" if dossier.on_time and not dossier.is_late else "Quá hạn")
        if dossier.completed_at is not None and dossier.tracking_number:
            notes.append(f"Số vận đơn {dossier.tracking_number}")
        if dossier.parent_id is not None:
            notes.append("Hồ sơ liên thông")
    notes.append({"counter": "Nộp trực tiếp", "online": "Nộp trực tuyến",
                  "post": "Nộp qua bưu chính"}.get(dossier.channel, ""))
    contact = "; ".join(p for p in (applicant_address(dossier), dossier.contact_phone or "") if p)
    return [f"{entry.number}/{entry.year}", dossier.code, dossier.procedure.name, "01",
            applicant_of(dossier), contact, agency_for(dossier.procedure, dossier.unit), _moment(received),
            _moment(dossier.due_at) if dossier.due_at else _day(dossier.due_date), handed,
            answered, returned, _signed_for(dossier) if not forwarded else "",
            "; ".join(n for n in notes if n)]


def rows(query: RegisterQuery) -> list[list[str]]:
    """One row per line of the register, in register order: the columns of HEADERS."""
    lines = entries(query)
    events = _first_events([entry.dossier_id for entry in lines])
    return [_row(entry, events) for entry in lines]


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"Từ ngày {_day(start)} đến ngày {_day(end)}"
    if start:
        return f"Từ ngày {_day(start)}"
    if end:
        return f"Đến ngày {_day(end)}"
    return "Toàn bộ"


def volumes_text(lines: list[list[str]]) -> str:
    """'Quyển số: 2026 (số thứ tự từ 1 đến 6)': the register's volume is its year."""
    by_year: dict[str, list[int]] = {}
    for line in lines:
        number, year = line[0].split("/")
        by_year.setdefault(year, []).append(int(number))
    if not by_year:
        return "Quyển số: …"
    return "; ".join(f"Quyển số: {year} (số thứ tự từ {min(n)} đến {max(n)})"
                     for year, n in sorted(by_year.items()))


def _issuer(unit: Any) -> Issuer:
    """The centre keeps the register: the People's Committee (upright) over the centre (bold)."""
    return Issuer(parent=f"Ủy ban nhân dân {running_name(unit.name)}", name=centre_name(unit),
                  code=unit.code)


def _printed(line: list[str], one_volume: bool) -> list[str]:
    """A row as the PDF prints it: the number alone within one volume, times over dates."""
    cells = list(line)
    if one_volume:
        cells[0] = cells[0].split("/")[0]
    for index in DATE_COLUMNS:
        cells[index] = cells[index].replace(" ", "\n", 1)
    return cells


def register_pdf(unit: Any, query: RegisterQuery) -> bytes:
    """The register as the centre prints it: landscape A4, the unit block and the motto, the
    title with the volume and the period, the table with its numbered header rows (repeated
    on every page)."""
    lines = rows(query)
    one_volume = len({line[0].split("/")[1] for line in lines}) <= 1
    printed = [_printed(line, one_volume) for line in lines]
    empty = [["", "", "(Chưa có hồ sơ trong kỳ)", *[""] * (len(HEADERS) - 3)]]
    return render_pdf(TITLE, _issuer(unit), [
        Table(HEADERS, printed or empty, widths=WIDTHS, size=9, groups=GROUPS, numbered=True),
        Paragraph(f"Tổng số hồ sơ trong kỳ: {len(lines):02d}.", size=12),
    ], subtitle=f"{volumes_text(lines)}\nKỳ: {period_text(query.start, query.end)}",
        landscape=True)


def register_xlsx(unit: Any, query: RegisterQuery) -> bytes:
    """The register as a workbook: the heading, the volume and period, the two header rows
    ("Ngày, tháng, năm" merged over the dates), the column numbers, one row per line."""
    # openpyxl (≈ 11 MB per process) is loaded by the first export, not at start.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    lines = rows(query)
    book = Workbook()
    sheet = book.active
    sheet.title = "So theo doi ho so"
    sheet.append([f"Ủy ban nhân dân {running_name(unit.name)}"])
    sheet.append([centre_name(unit)])
    sheet.append([TITLE])
    sheet.append([f"{volumes_text(lines)} — {period_text(query.start, query.end)}"])
    sheet.append([])
    first = 6
    sheet.append([DATES if 8 <= i <= 12 else h for i, h in enumerate(HEADERS, start=1)])
    sheet.append([h if 8 <= i <= 12 else None for i, h in enumerate(HEADERS, start=1)])
    sheet.append([f"({i})" for i in range(1, len(HEADERS) + 1)])
    for column in range(1, len(HEADERS) + 1):
        if 8 <= column <= 12:
            continue
        sheet.merge_cells(start_row=first, end_row=first + 1, start_column=column, end_column=column)
    sheet.merge_cells(start_row=first, end_row=first, start_column=8, end_column=12)
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=first, max_row=first + 2):
        for cell in row:
            cell.font = Font(bold=cell.row < first + 2, italic=cell.row == first + 2)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for line in lines:
        sheet.append(line)
    for row in sheet.iter_rows(min_row=first + 3, max_row=sheet.max_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for line in (1, 2, 3):
        sheet.cell(row=line, column=1).font = Font(bold=line > 1, size=13 if line == 3 else 11)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width * 0.9
    sheet.freeze_panes = sheet.cell(row=first + 3, column=1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{first}:{first + 2}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
