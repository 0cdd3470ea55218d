"""The tracking register (Sổ theo dõi hồ sơ, Mẫu 07) as PDF and XLSX: landscape A4, the centre's
unit block and the motto, the volume and the period, the register's fourteen numbered columns
with "Ngày, tháng, năm" over the five dates; each line says where the dossier went."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.backoffice.conftest import at
from tests.backoffice.util import act, get, new_dossier, user
from tests.helpers import web_login

COLUMNS = ["TT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)",
           "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết",
           "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
           "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả cho cá nhân, tổ chức", "Ký nhận",
           "Ghi chú"]


def _register(app, world, clock, monkeypatch) -> dict:
    import datetime as dt

    from app.dossiers import effects, history

    # The history's times follow the same clock as the effects'.
    monkeypatch.setattr(history, "utcnow", lambda: effects.utcnow().astimezone(dt.timezone.utc))
    with app.app_context():
        clock.set(at(2026, 3, 3, 9))
        waiting = new_dossier(world)
        act(user("officer"), waiting, "receive")
        done = new_dossier(world)
        act(user("officer"), done, "receive")
        clock.set(at(2026, 3, 4, 10))
        act(user("officer"), get(done.code), "process")
        clock.set(at(2026, 3, 5, 14, 30))
        act(user("officer"), get(done.code), "approve")
        clock.set(at(2026, 3, 6, 8, 15))
        act(user("officer"), get(done.code), "return", method="post", tracking_number="EB1VN")
        moved = new_dossier(world)
        act(user("officer"), moved, "receive")
        act(user("officer"), get(moved.code), "forward", unit=world.other_unit_code,
            note="Không thuộc thẩm quyền")
        return {"waiting": waiting.code, "done": done.code, "moved": moved.code}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_register_pdf_is_the_forms_wide_table(app, client, world, clock, monkeypatch):
    codes = _register(app, world, clock, monkeypatch)
    web_login(client, "officer")
    response = client.get(f"/backoffice/register?unit={world.unit_code}&format=pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape A4
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    assert text.startswith("ỦY BAN NHÂN DÂN XÃ LỘC TẤN")
    for expected in ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "SỔ THEO DÕI HỒ SƠ",
                     "Quyển số: 2026 (số thứ tự từ 1 đến 3)", "Kỳ: Toàn bộ", "Ngày, tháng, năm",
                     "(1)", "(14)", *codes.values(), "Ủy ban nhân dân xã Lộc Tấn",
                     "Ủy ban nhân dân xã Tam Đa", "Đã chuyển đến xã Tam Đa",
                     "Số vận đơn EB1VN", "Đúng hạn", "Tổng số hồ sơ trong kỳ: 03"):
        assert expected in text, expected
    flat_headers = text.replace(" ", "")
    for column in COLUMNS:
        assert column.replace(" ", "") in flat_headers, column
    # A register is a book, not a letter: no number line, no print date, no signer.
    assert "Số:" not in text and "NGƯỜI LẬP SỔ" not in text and "Lộc Tấn, ngày" not in text


def test_the_register_lines_carry_the_dates_of_each_step(app, client, world, clock, monkeypatch):
    codes = _register(app, world, clock, monkeypatch)
    from app.dossiers.register import RegisterQuery
    from app.dossiers.register_export import HEADERS, rows
    from app.extensions import db
    from app.units.models import AdministrativeUnit

    with app.app_context():
        unit = db.session.query(AdministrativeUnit).filter_by(code=world.unit_code).one()
        lines = {line[1]: dict(zip(HEADERS, line, strict=True)) for line in rows(RegisterQuery(unit.id))}
    done = lines[codes["done"]]
    assert (done["TT"], done["Số lượng hồ sơ (bộ)"], done["Nhận hồ sơ"]) == \
        ("2/2026", "01", "09:00 03/03/2026")
    assert done["Chuyển hồ sơ đến cơ quan giải quyết"] == "10:00 04/03/2026"
    assert done["Nhận kết quả từ cơ quan giải quyết"] == "14:30 05/03/2026"
    assert done["Trả kết quả cho cá nhân, tổ chức"] == "08:15 06/03/2026"
    assert done["Hẹn trả kết quả"] == "16:00 06/03/2026"
    assert "0912345678" in done["Địa chỉ, số điện thoại"]
    assert done["Ký nhận"] == "Bưu chính" and "Số vận đơn EB1VN" in done["Ghi chú"]
    moved = lines[codes["moved"]]
    assert moved["Cơ quan chủ trì giải quyết"] == "Ủy ban nhân dân xã Tam Đa"
    assert moved["Chuyển hồ sơ đến cơ quan giải quyết"] and not moved["Trả kết quả cho cá nhân, tổ chức"]
    waiting = lines[codes["waiting"]]
    assert not waiting["Chuyển hồ sơ đến cơ quan giải quyết"] and not waiting["Ký nhận"]


def test_the_register_workbook_has_the_same_columns(app, client, world, clock, monkeypatch):
    codes = _register(app, world, clock, monkeypatch)
    web_login(client, "officer")
    xlsx = client.get(f"/backoffice/register?unit={world.unit_code}&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Ủy ban nhân dân xã Lộc Tấn" and values[2][0] == "SỔ THEO DÕI HỒ SƠ"
    assert values[5][:7] == COLUMNS[:7] and values[5][7] == "Ngày, tháng, năm"
    assert values[6][7:12] == COLUMNS[7:12] and values[5][12:] == COLUMNS[12:]
    assert values[7] == [f"({i})" for i in range(1, 15)]
    assert "H6:L6" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.page_setup.orientation == "landscape"
    assert [row[1] for row in values[8:]] == list(codes.values())
